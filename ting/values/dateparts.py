"""The pieces a date/time expression is made of, before they are resolved against "now".

The English and Chinese recognizers (``datetime_en``, ``datetime_zh``) turn matched text into
``Fragment`` objects; ``datetimes`` merges them (each of day, part of day and clock at most once)
and resolves the result in the device's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

PartOfDay = Literal["early_morning", "morning", "noon", "afternoon", "evening", "night"]

PART_HOURS: MappingProxyType[PartOfDay, tuple[int, int]] = MappingProxyType(
    {
        "early_morning": (0, 6),
        "morning": (6, 12),
        "noon": (12, 14),
        "afternoon": (12, 18),
        "evening": (18, 24),
        "night": (18, 24),
    }
)
"""(start hour, end hour) of each part of the day; a bare part resolves to its start."""


@dataclass(frozen=True)
class RelativeDay:
    """Today plus ``days``: today 0, tomorrow 1, 后天 2, yesterday -1."""

    days: int


@dataclass(frozen=True)
class WeekdayRef:
    """A weekday (Monday 0); ``weeks`` None for the nearest one from today on ("Friday"), else
    that weekday in the Monday-based week ``weeks`` away (this 0, next 1, last -1)."""

    weekday: int
    weeks: int | None


@dataclass(frozen=True)
class CalendarDate:
    """A calendar date; a missing year means the next occurrence, a missing month this month
    or the next one that has that day, a missing day the whole month."""

    month: int | None
    day: int | None
    year: int | None = None


@dataclass(frozen=True)
class PeriodRef:
    """The start of a week or month ``shift`` periods away ("next week", 下个月)."""

    grain: Literal["week", "month"]
    shift: int


DaySpec = RelativeDay | WeekdayRef | CalendarDate | PeriodRef


@dataclass(frozen=True)
class Clock:
    """A clock time as said: ``hour`` as spoken (1-12 or 0-23), am/pm if said."""

    hour: int
    minute: int = 0
    second: int = 0
    meridiem: Literal["am", "pm"] | None = None
    fixed: bool = False
    """Written as 24-hour time ("07:30", "19:00"): never reinterpreted as am/pm."""
    midnight: bool = False
    """The midnight that ends the day."""
    grain: Literal["hour", "minute", "second"] = "hour"


@dataclass(frozen=True)
class Fragment:
    """Whatever one matched piece of text contributed."""

    day: DaySpec | None = None
    part: PartOfDay | None = None
    clock: Clock | None = None

    def is_empty(self) -> bool:
        return self.day is None and self.part is None and self.clock is None


def merge(first: Fragment, second: Fragment) -> Fragment | None:
    """Both fragments together; None when they both say the same kind of thing."""
    if (
        (first.day is not None and second.day is not None)
        or (first.part is not None and second.part is not None)
        or (first.clock is not None and second.clock is not None)
    ):
        return None
    return Fragment(
        day=first.day if first.day is not None else second.day,
        part=first.part if first.part is not None else second.part,
        clock=first.clock if first.clock is not None else second.clock,
    )


Handler = Callable[[re.Match[str]], Fragment | None]
"""Turns a match into a fragment, or None when the matched text is invalid ("25 o'clock")."""
Recognizer = tuple[re.Pattern[str], Handler]


def clock(
    hour: int | None,
    minute: int | None = None,
    second: int | None = None,
    *,
    meridiem: Literal["am", "pm"] | None = None,
    fixed: bool = False,
) -> Fragment | None:
    """A clock fragment after range checks; None for "25 o'clock", "13 pm", "7:75"."""
    if hour is None or not 0 <= hour <= 23:
        return None
    if not 0 <= (minute or 0) <= 59 or not 0 <= (second or 0) <= 59:
        return None
    if meridiem is not None and not 1 <= hour <= 12:
        return None
    grain: Literal["hour", "minute", "second"] = (
        "second" if second is not None else "minute" if minute is not None else "hour"
    )
    return Fragment(
        clock=Clock(hour, minute or 0, second or 0, meridiem=meridiem, fixed=fixed, grain=grain)
    )


def minutes_before(hour: int | None, minutes: int | None) -> Fragment | None:
    """"quarter to eight", 差五分八点: ``minutes`` before the full ``hour``."""
    if hour is None or minutes is None or not 1 <= minutes <= 59 or not 1 <= hour <= 23:
        return None
    previous = hour - 1 if hour > 1 else 12
    return clock(previous, 60 - minutes, fixed=hour > 12)
