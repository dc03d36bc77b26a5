"""The pieces a date/time expression is made of, before they are resolved against "now".

The English and Chinese recognizers (``datetime_en``, ``datetime_zh``) turn matched text into
``Fragment`` objects; ``datetimes`` merges them (each of day, part of day and clock at most once)
and resolves the result in the device's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    weekday: int | None = None
    """Also said ("Wednesday, March 4"); a date on another weekday is invalid."""


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
    year_shift: int | None = None
    """The year of a date said without one, from now: "this year" 0, 明年 1, 去年 -1."""

    def is_empty(self) -> bool:
        return self.day is None and self.part is None and self.clock is None


def _merge_days(first: DaySpec | None, second: DaySpec | None) -> tuple[bool, DaySpec | None]:
    """(fits, the one day said): a date takes a bare weekday along ("Wednesday, March 4"), a
    week takes one ("Friday next week", 下周的周五); other pairs conflict."""
    if first is None or second is None:
        return True, first if first is not None else second
    for spec, other in ((first, second), (second, first)):
        if not isinstance(other, WeekdayRef) or other.weeks is not None:
            continue
        if isinstance(spec, CalendarDate) and spec.weekday is None:
            return True, replace(spec, weekday=other.weekday)
        if isinstance(spec, PeriodRef) and spec.grain == "week":
            return True, WeekdayRef(other.weekday, spec.shift)
    return False, None


def _one_of(first: object, second: object) -> bool:
    return first is None or second is None


def merge(first: Fragment, second: Fragment) -> Fragment | None:
    """Both fragments together; None when they both say the same kind of thing (a weekday and
    a calendar date together are one day: "Wednesday, March 4", 3月4日星期三)."""
    fits, day = _merge_days(first.day, second.day)
    if not (
        fits
        and _one_of(first.part, second.part)
        and _one_of(first.clock, second.clock)
        and _one_of(first.year_shift, second.year_shift)
    ):
        return None
    return Fragment(
        day=day,
        part=first.part if first.part is not None else second.part,
        clock=first.clock if first.clock is not None else second.clock,
        year_shift=first.year_shift if first.year_shift is not None else second.year_shift,
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
    """ "quarter to eight", 差五分八点: ``minutes`` before the full ``hour``."""
    if hour is None or minutes is None or not 1 <= minutes <= 59 or not 1 <= hour <= 23:
        return None
    previous = hour - 1 if hour > 1 else 12
    return clock(previous, 60 - minutes, fixed=hour > 12)
