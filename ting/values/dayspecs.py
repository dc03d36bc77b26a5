"""Turning a ``DaySpec`` (tomorrow, next Wednesday, 3月3号, next month) into a calendar date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ting.values.dateparts import CalendarDate, DaySpec, PeriodRef, RelativeDay, WeekdayRef

_YEARS_TO_SEARCH = 9
"""A date without a year is the next one that exists: Feb 29 may be up to 8 years away."""
_MIN_YEAR, _MAX_YEAR = 1900, 2200


@dataclass(frozen=True)
class ResolvedDay:
    date: date
    grain: Literal["day", "week", "month"]
    relative: bool
    """Said relative to today (tomorrow, next Friday) rather than as a calendar date."""
    rolls_weekly: bool = False
    """A bare weekday that is today: if the time said is past, the same weekday next week."""


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _weekday(spec: WeekdayRef, today: date) -> ResolvedDay:
    if spec.weeks is None:
        ahead = (spec.weekday - today.weekday()) % 7
        found = today + timedelta(days=ahead)
        return ResolvedDay(found, "day", True, rolls_weekly=ahead == 0)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=spec.weeks)
    return ResolvedDay(monday + timedelta(days=spec.weekday), "day", True)


def _period(spec: PeriodRef, today: date) -> ResolvedDay:
    if spec.grain == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=spec.shift)
        return ResolvedDay(monday, "week", True)
    return ResolvedDay(_add_months(today, spec.shift), "month", True)


def _month_only(month: int, year: int | None, today: date) -> ResolvedDay | None:
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    return ResolvedDay(date(year, month, 1), "month", False)


def _day_of_month(day: int, today: date) -> ResolvedDay | None:
    """The 3rd (3号): this month's if still ahead or today, else the next month that has it."""
    first = today.replace(day=1)
    for months in range(13):
        start = _add_months(first, months)
        found = _safe_date(start.year, start.month, day)
        if found is not None and found >= today:
            return ResolvedDay(found, "day", False)
    return None


def _calendar(spec: CalendarDate, today: date) -> ResolvedDay | None:
    found = _calendar_date(spec, today)
    if found is not None and spec.weekday is not None and found.date.weekday() != spec.weekday:
        return None
    return found


def _calendar_date(spec: CalendarDate, today: date) -> ResolvedDay | None:
    if spec.year is not None and not _MIN_YEAR <= spec.year <= _MAX_YEAR:
        return None
    if spec.month is not None and not 1 <= spec.month <= 12:
        return None
    if spec.day is not None and not 1 <= spec.day <= 31:
        return None
    if spec.month is None:
        return None if spec.day is None or spec.year is not None else _day_of_month(spec.day, today)
    if spec.day is None:
        return _month_only(spec.month, spec.year, today)
    if spec.year is not None:
        found = _safe_date(spec.year, spec.month, spec.day)
        return None if found is None else ResolvedDay(found, "day", False)
    return _next_calendar_date(spec.month, spec.day, today)


def _next_calendar_date(month: int, day: int, today: date) -> ResolvedDay | None:
    """March 3rd without a year: this year's if today or later, else the next that exists.
    A date no year has (Feb 30) is None; Feb 29 is the next leap day."""
    for year in range(today.year, today.year + _YEARS_TO_SEARCH):
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return ResolvedDay(found, "day", False)
    return None


def resolve_day(spec: DaySpec, today: date) -> ResolvedDay | None:
    """The date ``spec`` names as seen from ``today``; None when no such date exists."""
    match spec:
        case RelativeDay(days):
            return ResolvedDay(today + timedelta(days=days), "day", True)
        case WeekdayRef():
            return _weekday(spec, today)
        case PeriodRef():
            return _period(spec, today)
        case CalendarDate():
            return _calendar(spec, today)
    return None
