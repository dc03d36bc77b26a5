"""Domains learned from annotated examples alone: recombined training sentences for the tagger,
and slots that take several values."""

from __future__ import annotations

from itertools import pairwise

from ting.nlu import NluEngine, domain_from_examples
from ting.nlu.data import domain_from_mapping
from ting.nlu.domain import NluDomain
from ting.nlu.features import case_marks, sentence_features
from ting.nlu.slot_values import ValuesModule
from ting.nlu.slots import SlotResolver
from ting.nlu.tagger import OUTSIDE, TaggedSentence
from ting.nlu.training import SampleSettings, build_sentences, marks_of, multi_valued_slots
from ting.nlu.types import ParseContext

ARTISTS = ["adele", "coldplay", "taylor swift", "the beatles", "miles davis", "queen", "abba"]


def _music_examples() -> dict[str, list[str]]:
    single = [f"play something by [{a}](artist)" for a in ARTISTS]
    single += [f"i want to hear [{a}](artist) on [spotify](service)" for a in ARTISTS[:4]]
    pairs = [f"play [{a}](artist) and [{b}](artist)" for a, b in pairwise(ARTISTS)]
    return {
        "PlayMusic": single + pairs,
        "Weather": [f"weather in [{c}](city)" for c in ("paris", "oslo", "lima", "cairo")]
        + [f"is it raining in [{c}](city)" for c in ("rome", "kyiv")],
    }


def test_recombined_sentences_swap_values_within_an_intent() -> None:
    domain = domain_from_examples("en", _music_examples())
    intents = domain.intents("en")
    sentences = _recombined(domain, SampleSettings(recombined_per_intent=40))
    by_intent: dict[str, int] = {}
    for sentence in sentences:
        by_intent[sentence.intent] = by_intent.get(sentence.intent, 0) + 1
        assert len(sentence.words) == len(sentence.tags) == len(sentence.marks)
        values = _values(sentence.words, sentence.tags)
        if sentence.intent == "Weather":
            assert all(slot == "city" for slot, _ in values)
            cities = {"paris", "oslo", "lima", "cairo", "rome", "kyiv"}
            assert {text for _, text in values} <= cities
        else:
            assert {slot for slot, _ in values} <= {"artist", "service"}
    examples = {name: len(spec.examples) for name, spec in ((i.name, i) for i in intents)}
    assert by_intent == {name: 40 - count for name, count in examples.items()}
    assert _recombined(domain, SampleSettings(recombined_per_intent=0)) == []


def test_intents_with_templates_are_not_recombined() -> None:
    domain = domain_from_mapping(
        {
            "language": "en",
            "intents": {
                "Weather": {
                    "slots": {"city": "text"},
                    "sentences": ["weather in {city}"],
                    "examples": ["weather in [paris](city)", "is it raining in [rome](city)"],
                }
            },
        },
        skill="test",
    )
    assert _recombined(domain, SampleSettings()) == []


def test_multi_valued_slots_are_those_annotated_twice_in_an_example() -> None:
    domain = domain_from_examples("en", _music_examples())
    play = next(spec for spec in domain.intents("en") if spec.name == "PlayMusic")
    weather = next(spec for spec in domain.intents("en") if spec.name == "Weather")
    assert multi_valued_slots(play) == {"artist"}
    assert multi_valued_slots(weather) == frozenset()


def test_a_multi_valued_slot_returns_every_value(ctx: ParseContext) -> None:
    engine = NluEngine.build(domain_from_examples("en", _music_examples()))
    result = engine.parse("play miles davis and taylor swift", ctx, languages=("en",))
    assert result.intent == "PlayMusic"
    assert sorted(result.values("artist")) == ["miles davis", "taylor swift"]
    assert result.values("service") == []
    single = engine.parse("play something by queen", ctx, languages=("en",))
    assert single.values("artist") == ["queen"]
    assert single.more == ()


def _values(words: tuple[str, ...], tags: tuple[str, ...]) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for word, tag in zip(words, tags, strict=True):
        if tag.startswith("B-"):
            values.append((tag[2:], word))
        elif tag != OUTSIDE:
            slot, text = values[-1]
            values[-1] = (slot, f"{text} {word}")
    return values


def _recombined(domain: NluDomain, settings: SampleSettings) -> list[TaggedSentence]:
    resolver = SlotResolver(domain.lists("en"), ValuesModule())
    values = ValuesModule()
    built = build_sentences(domain.intents("en"), {}, resolver, values, "en", settings, seed=0)
    return built.tagger_only


def test_case_marks_name_capitalized_words_after_the_first() -> None:
    written = ["Play", "Radiohead", "on", "BBC", "radio", "7", "周", "A"]
    assert case_marks(written) == [(), ("C:title",), (), ("C:upper",), (), (), (), ("C:title",)]


def test_case_marks_reach_the_tagger_but_not_the_abstracted_words() -> None:
    domain = domain_from_examples("en", {"Play": ["play [Paris Combo](artist) now"]})
    resolver = SlotResolver(domain.lists("en"), ValuesModule())
    built = build_sentences(
        domain.intents("en"), {}, resolver, ValuesModule(), "en", SampleSettings(), seed=0
    )
    example = next(s for s in built.sentences if s.intent == "Play")
    assert [("C:title" in marks) for marks in example.marks] == [False, True, True, False]
    assert "a=<s>_play" in sentence_features(example.words, example.marks)
    assert "a=play_paris" in sentence_features(example.words, example.marks)


def test_class_marks_of_value_words_and_place_names_reach_the_tagger_only() -> None:
    resolver = SlotResolver({}, ValuesModule())
    words = ["rain", "next", "friday", "in", "new", "zealand", "or", "georgia"]
    marks = marks_of(words, resolver, None)
    assert [m for m in marks if m] == [
        ("W:weekday",),
        ("W:country",),
        ("W:I-country",),
        ("W:country", "W:state"),
    ]
    assert marks[2] == ("W:weekday",) and marks[5] == ("W:I-country",)
    assert not [f for f in sentence_features(words, marks) if "W:" in f or "country" in f]


def test_weekdays_and_countries_of_several_words_are_learned_from_a_few_examples(
    ctx: ParseContext,
) -> None:
    examples = {
        "Weather": [
            "will it rain on [sunday](day) in [peru](country)",
            "weather for [monday](day) in [france](country)",
            "is it sunny in [japan](country) on [tuesday](day)",
            "forecast for [kenya](country)",
        ],
        "Play": ["play [adele](artist)", "play some [queen](artist)", "play [abba](artist) now"],
    }
    engine = NluEngine.build(domain_from_examples("en", examples))
    found = []
    for text in ("weather in new zealand for saturday", "is it sunny in south korea"):
        result = engine.parse(text, ctx, languages=("en",))
        assert result.intent == "Weather", text
        found.append({name: slot.text for name, slot in result.slots.items()})
    assert found == [{"day": "saturday", "country": "new zealand"}, {"country": "south korea"}]
