"""Durations: "5 minutes", "an hour and a half", "1h30m", "half an hour", "quarter of an hour",
"two hours 15 minutes", 五分钟, 一个半小时, 两个小时三十分钟, 半小时, 一刻钟, 三分半, 1小时20分.

A duration is a sequence of (amount, unit) pairs with units from largest to smallest. After a
unit may come "and a half" / 半 (half of that unit) or, at the very end, a bare number meaning
the next unit down (一小时二十 = 1 h 20 min, "1h30" = 1 h 30 min). "another minute" and "5 more
minutes" are durations too (for adding to timers); so are the common misspellings "minuets" and
分种. Text without any unit ("5") is not a duration.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import MappingProxyType

from ting.values._text import normalize
from ting.values.numbers import parse_normalized_number

_EN_UNITS = MappingProxyType(
    {"weeks": 604_800, "week": 604_800, "wks": 604_800, "wk": 604_800, "w": 604_800,
     "days": 86_400, "day": 86_400, "d": 86_400,
     "hours": 3600, "hour": 3600, "hrs": 3600, "hr": 3600, "h": 3600,
     "minutes": 60, "minute": 60, "mins": 60, "min": 60, "m": 60,
     "minuets": 60, "minuts": 60, "mintues": 60, "minits": 60,
     "seconds": 1, "second": 1, "secs": 1, "sec": 1, "s": 1}
)  # fmt: skip
_ZH_UNITS = MappingProxyType(
    {"个星期": 604_800, "星期": 604_800, "个礼拜": 604_800, "礼拜": 604_800, "周": 604_800,
     "天": 86_400, "个小时": 3600, "小时": 3600, "个钟头": 3600, "钟头": 3600,
     "刻钟": 900, "刻": 900, "分钟": 60, "分种": 60, "分": 60, "秒钟": 1, "秒种": 1, "秒": 1}
)  # fmt: skip
UNIT_SECONDS = MappingProxyType({**_EN_UNITS, **_ZH_UNITS})
"""Seconds per unit word, English and Chinese."""

_CALENDAR_UNIT_SECONDS = 86_400
_NEXT_UNIT_DOWN = MappingProxyType({604_800: 86_400, 86_400: 3600, 3600: 60, 60: 1})


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_UNIT_SPLIT = re.compile(
    rf"((?<![a-z])(?:{_alternation(list(_EN_UNITS))})(?![a-z])|{_alternation(list(_ZH_UNITS))})"
)
_HALF_AFTER_UNIT = re.compile(r"^\s*(?:and a half|半)(?:\s|$)?")
_LEADING_JOINERS = re.compile(r"^(?:\s|,|、|and\b|for\b)+")
_MORE = re.compile(r"\s*\b(?:more|extra|additional)$")
_FRACTION_WORDS = MappingProxyType(
    {"a": 1.0, "an": 1.0, "one": 1.0, "half a": 0.5, "half an": 0.5, "半": 0.5, "半个": 0.5,
     "a quarter of an": 0.25, "quarter of an": 0.25, "a quarter": 0.25, "quarter": 0.25,
     "three quarters of an": 0.75, "three quarters of a": 0.75, "a couple of": 2.0,
     "another": 1.0}
)  # fmt: skip
_AND_A_HALF = re.compile(r"(?P<whole>.+?)\s*(?:个半|and a half)")


def _amount(chunk: str) -> float | None:
    """How many units a chunk before a unit word says: "5", "an", "two and a half", "一个半"."""
    chunk = _MORE.sub("", _LEADING_JOINERS.sub("", chunk).strip())
    if chunk in _FRACTION_WORDS:
        return _FRACTION_WORDS[chunk]
    half = _AND_A_HALF.fullmatch(chunk)
    if half is not None:
        whole = _amount(half["whole"])
        return None if whole is None else whole + 0.5
    if chunk.endswith("个"):
        chunk = chunk[:-1]
    value = parse_normalized_number(chunk) if chunk else None
    return None if value is None or value < 0 else float(value)


def _tail_seconds(tail: str, last_unit: int) -> float | None:
    """What may follow the last unit: nothing, or a bare number of the next unit down."""
    tail = _LEADING_JOINERS.sub("", tail).strip()
    if not tail or tail in ("more", "extra"):
        return 0.0
    value = parse_normalized_number(tail)
    smaller = _NEXT_UNIT_DOWN.get(last_unit)
    if not isinstance(value, int) or smaller is None or not 0 <= value < last_unit // smaller:
        return None
    return float(value * smaller)


def _split_half(chunk: str) -> tuple[bool, str]:
    match = _HALF_AFTER_UNIT.match(chunk)
    return (False, chunk) if match is None else (True, chunk[match.end() :])


def _duration_seconds(text: str) -> tuple[float, int] | None:
    """(total seconds, smallest unit in seconds) of a folded duration text."""
    pieces = _UNIT_SPLIT.split(text)
    if len(pieces) < 3:
        return None
    total, previous_unit = 0.0, 0
    for chunk, unit_word in zip(pieces[0:-1:2], pieces[1::2], strict=True):
        has_half, chunk = _split_half(chunk) if previous_unit else (False, chunk)
        total += previous_unit / 2 if has_half else 0.0
        amount, unit = _amount(chunk), UNIT_SECONDS[unit_word]
        if amount is None or (previous_unit and unit >= previous_unit):
            return None
        total, previous_unit = total + amount * unit, unit
    has_half, tail = _split_half(pieces[-1])
    extra = _tail_seconds(tail, previous_unit)
    if extra is None or (has_half and extra):
        return None
    total += extra + (previous_unit / 2 if has_half else 0.0)
    return total, previous_unit


def _to_timedelta(seconds: float) -> timedelta | None:
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        return None


def parse_normalized_duration(text: str) -> tuple[timedelta, bool] | None:
    """(duration, counts whole calendar days) for folded text; see ``parse_duration``.

    The flag is True when the smallest unit spoken was a day or a week and the total is a whole
    number of days ("in 3 days" is then calendar arithmetic, not 72 hours).
    """
    parsed = _duration_seconds(text)
    if parsed is None:
        return None
    seconds, smallest_unit = parsed
    duration = _to_timedelta(seconds)
    if duration is None:
        return None
    whole_days = smallest_unit >= _CALENDAR_UNIT_SECONDS and seconds % _CALENDAR_UNIT_SECONDS == 0
    return duration, whole_days


def parse_duration(text: str) -> timedelta | None:
    """The length of time ``text`` says; None when it is not a duration ("banana", "5")."""
    folded = normalize(text)
    if folded is None:
        return None
    parsed = parse_normalized_duration(folded)
    return None if parsed is None else parsed[0]
