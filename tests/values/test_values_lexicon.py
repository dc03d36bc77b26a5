"""Classes of the words and phrases of values, read by the NLU's slot tagger."""

from __future__ import annotations

from datetime import UTC, datetime

from ting.nlu.types import ParseContext
from ting.values import parse_value, phrase_classes, word_classes
from ting.values.datetime_en import PARTS_OF_DAY
from ting.values.english import ordinal_words, parse_ordinal


def test_date_time_and_number_words_have_their_class() -> None:
    classes = word_classes()
    expected = {
        "friday": "weekday",
        "sundays": "weekday",
        "march": "month",
        "may": "month",
        "tonight": "relday",
        "evening": "daypart",
        "lunch": "meal",
        "minutes": "unit",
        "pm": "meridiem",
        "five": "number",
        "twelfth": "ordinal",
        "halloween": "holiday",
    }
    assert {word: classes.get(word) for word in expected} == expected
    assert "new" not in classes and "the" not in classes
    assert all(word == word.lower() and " " not in word for word in classes)


def test_the_words_come_from_the_parsers_tables() -> None:
    ctx = ParseContext(datetime(2026, 12, 7, 12, tzinfo=UTC), UTC)
    classes = word_classes()
    phrases = {"weekday": "{} at 5 pm", "month": "{} 5", "meridiem": "5 {}"}
    for word, kind in classes.items():
        if kind in phrases and not word.endswith("s"):
            phrase = phrases[kind].format(word)
            assert parse_value("datetime", phrase, ctx) is not None, phrase
    for part in PARTS_OF_DAY:
        assert classes[part] == "daypart" and parse_value("datetime", f"this {part}", ctx)
    assert [parse_ordinal(word) for word in ordinal_words()[:3]] == [1, 2, 3]
    assert parse_ordinal(ordinal_words()[-1]) == 90


def test_place_names_are_phrases_with_every_class() -> None:
    classes = phrase_classes()
    assert classes["new zealand"] == ("country",)
    assert classes["saint vincent and the grenadines"] == ("country",)
    assert set(classes["georgia"]) == {"country", "state"}
    assert classes["ny"] == ("state",)
    assert classes["friday"] == ("weekday",)
    # Postal codes that are also everyday words are left out.
    assert not {"in", "or", "me", "hi", "ok"} & set(classes)
