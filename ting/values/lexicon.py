"""Classes of English words and phrases of values: the words that make up dates, times and
numbers ("friday" is a weekday, "five" a number, "pm" a meridiem), from the tables the parsers
themselves read, and place names ("new zealand" a country, "ohio" a state) from
``resources/places_en.txt``.

The NLU's slot tagger uses them as marks, so that from a few examples ("weather [next
sunday](time) in [peru](country)") it learns the class, not the words, and tags "next friday"
and "chile" too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ting.values.datetime_en import HOLIDAYS, MONTHS, PARTS_OF_DAY, WEEKDAYS
from ting.values.english import ONES, SCALES, TENS, ordinal_words

__all__ = ["phrase_classes", "word_classes"]

_RELATIVE_DAYS = ("today", "tonight", "tomorrow", "yesterday", "weekend", "weekday", "weekdays")
_MEALS = ("breakfast", "brunch", "lunch", "lunchtime", "dinner", "dinnertime", "supper")
_DAY_TIMES = ("noon", "midnight", "midday", "dawn", "dusk", "sunrise", "sunset")
_UNITS = ("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade")
_MERIDIEMS = ("am", "pm", "a.m", "p.m")
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")


@lru_cache(maxsize=1)
def word_classes() -> Mapping[str, str]:
    """Lower-case word -> its class: ``month``, ``weekday``, ``daypart``, ``relday``, ``meal``,
    ``unit``, ``meridiem``, ``season``, ``holiday``, ``number`` or ``ordinal``."""
    classes: dict[str, str] = {}

    def add(kind: str, words: Iterable[str]) -> None:
        for word in words:
            classes.setdefault(word, kind)

    add("month", (name for names in MONTHS for name in names if len(name) > 3 or name == "may"))
    add("weekday", (names[0] for names in WEEKDAYS))
    add("weekday", (names[0] + "s" for names in WEEKDAYS))
    add("daypart", PARTS_OF_DAY)
    add("daypart", _DAY_TIMES)
    add("relday", _RELATIVE_DAYS)
    add("meal", _MEALS)
    add("unit", (*_UNITS, *(unit + "s" for unit in _UNITS)))
    add("meridiem", _MERIDIEMS)
    add("season", _SEASONS)
    add("holiday", (phrase.split()[0] for phrase in HOLIDAYS if not phrase.startswith("new ")))
    add("number", (*ONES, *TENS, *SCALES, "hundred", "dozen"))
    add("ordinal", ordinal_words())
    return MappingProxyType(classes)


@lru_cache(maxsize=1)
def phrase_classes() -> Mapping[str, tuple[str, ...]]:
    """Lower-case word or phrase -> its classes: those of ``word_classes`` and the place names
    (``country``, ``state``; "georgia" is both)."""
    classes: dict[str, list[str]] = {word: [kind] for word, kind in word_classes().items()}
    text = resources.files("ting.values").joinpath("resources", "places_en.txt")
    for line in text.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, name = line.partition(":")
        found = classes.setdefault(name.strip(), [])
        if kind.strip() not in found:
            found.append(kind.strip())
    return MappingProxyType({phrase: tuple(kinds) for phrase, kinds in classes.items()})
