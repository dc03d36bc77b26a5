"""Recurring alarms and reminders: a small rule, its stored text, and its next occurrence.

A ``Recurrence`` is "at HH:MM local time on the days that the rule selects": every ``interval``-th
day, the chosen weekdays of every ``interval``-th week, one day of every ``interval``-th month, or
one date of every ``interval``-th year. Its text form (``to_text`` / ``from_text``) is what
``ScheduledItem.recurrence`` stores, an RRULE-like string::

    FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;AT=07:30;START=2026-11-24

Occurrences are computed on local wall-clock time in the item's time zone, so a 7:00 alarm stays
at 7:00 across daylight-saving changes. The edge cases, each a rule chosen on purpose:

- a local time that does not exist (the spring-forward gap) moves forward by the length of the
  gap: 02:30 on a night when clocks jump from 02:00 to 03:00 rings at 03:30;
- a local time that happens twice (fall back) rings once, at the first of the two;
- a month (or February of a year) without the rule's day uses the month's last day: "monthly on
  the 31st" rings on 30 April and on 28 or 29 February, "yearly on 29 February" on 28 February
  in common years;
- ``interval`` counts from ``start`` (days, Monday-based weeks, months or years); ``start`` is
  also the first day the rule may ring. Without ``start`` the count runs from the week of
  Monday 1970-01-05, so an interval-1 rule needs none.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal, get_args
from zoneinfo import ZoneInfo

from ting.errors import ConfigError

if TYPE_CHECKING:
    from ting.values.recurrence import RecurrencePattern

Freq = Literal["daily", "weekly", "monthly", "yearly"]
FREQUENCIES: tuple[Freq, ...] = get_args(Freq)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""Weekday codes of the text form, index 0 = Monday (as ``date.weekday()``)."""
_EPOCH = date(1970, 1, 5)
"""A Monday: where intervals count from when a rule has no ``start``."""
_MAX_INTERVAL = 1000


@dataclass(frozen=True)
class Recurrence:
    """When a recurring item rings; invalid field combinations raise ConfigError."""

    freq: Freq
    hour: int
    """Local wall-clock hour, 0-23."""
    minute: int = 0
    interval: int = 1
    """Every n-th day / week / month / year (2: "every other ...")."""
    weekdays: frozenset[int] = field(default_factory=frozenset)
    """Weekly rules: the days it rings, 0 = Monday ... 6 = Sunday (at least one)."""
    month_day: int | None = None
    """Monthly and yearly rules: day of the month, 1-31 (clamped to the month's last day)."""
    month: int | None = None
    """Yearly rules: the month, 1-12."""
    start: date | None = None
    """The first day it may ring, and where ``interval`` counts from."""

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ConfigError(f"bad recurrence: {problem}")

    def _problem(self) -> str | None:
        if self.freq not in FREQUENCIES:
            return f"unknown frequency {self.freq!r}"
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            return f"no time {self.hour}:{self.minute:02d}"
        if not 1 <= self.interval <= _MAX_INTERVAL:
            return f"interval {self.interval} out of range"
        if not all(0 <= day <= 6 for day in self.weekdays):
            return f"weekdays {sorted(self.weekdays)} out of range"
        if (self.freq == "weekly") != bool(self.weekdays):
            return "weekdays belong to weekly rules, and weekly rules need them"
        if (self.freq in ("monthly", "yearly")) != (self.month_day is not None):
            return "a day of the month belongs to monthly and yearly rules, which need one"
        if self.month_day is not None and not 1 <= self.month_day <= 31:
            return f"day of month {self.month_day} out of range"
        if (self.freq == "yearly") != (self.month is not None):
            return "a month belongs to yearly rules, which need one"
        if self.month is not None and not 1 <= self.month <= 12:
            return f"month {self.month} out of range"
        return None

    @classmethod
    def from_pattern(
        cls, pattern: RecurrencePattern, hour: int, minute: int = 0, start: date | None = None
    ) -> Recurrence:
        """A spoken pattern ("every weekday") at a time of day. A yearly pattern without a month
        takes ``start``'s month, one without a day ``start``'s day, a weekly one without
        weekdays ``start``'s weekday."""
        anchor = start or _EPOCH
        weekdays = frozenset(pattern.weekdays)
        if pattern.freq == "weekly" and not weekdays:
            weekdays = frozenset({anchor.weekday()})
        month_day = pattern.month_day
        if pattern.freq in ("monthly", "yearly") and month_day is None:
            month_day = anchor.day
        return cls(
            freq=pattern.freq,
            hour=hour,
            minute=minute,
            interval=pattern.interval,
            weekdays=weekdays,
            month_day=month_day,
            month=anchor.month if pattern.freq == "yearly" else None,
            start=start if pattern.interval > 1 else None,
        )

    def to_text(self) -> str:
        parts = [f"FREQ={self.freq.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(self.weekdays)))
        if self.month is not None:
            parts.append(f"BYMONTH={self.month}")
        if self.month_day is not None:
            parts.append(f"BYMONTHDAY={self.month_day}")
        parts.append(f"AT={self.hour:02d}:{self.minute:02d}")
        if self.start is not None:
            parts.append(f"START={self.start.isoformat()}")
        return ";".join(parts)

    @classmethod
    def from_text(cls, text: str) -> Recurrence:
        """The rule ``to_text`` wrote; anything else raises ConfigError."""
        fields: dict[str, str] = {}
        for part in text.strip().split(";"):
            key, sep, value = part.partition("=")
            if not sep or key in fields:
                raise ConfigError(f"bad recurrence text {text!r}")
            fields[key.strip().upper()] = value.strip()
        try:
            freq = fields.pop("FREQ").lower()
            hour_text, minute_text = fields.pop("AT").split(":")
            interval = int(fields.pop("INTERVAL", "1"))
            days = fields.pop("BYDAY", "")
            weekdays = frozenset(WEEKDAY_CODES.index(c.upper()) for c in days.split(",") if days)
            month = fields.pop("BYMONTH", None)
            month_day = fields.pop("BYMONTHDAY", None)
            start = fields.pop("START", None)
            if fields or freq not in FREQUENCIES:
                raise ValueError(f"unknown parts {sorted(fields)} or frequency {freq!r}")
            return cls(
                freq=freq,  # checked against FREQUENCIES above
                hour=int(hour_text),
                minute=int(minute_text),
                interval=interval,
                weekdays=weekdays,
                month=None if month is None else int(month),
                month_day=None if month_day is None else int(month_day),
                start=None if start is None else date.fromisoformat(start),
            )
        except (KeyError, ValueError) as err:
            raise ConfigError(f"bad recurrence text {text!r}: {err}") from err


def occurs_on(rule: Recurrence, day: date) -> bool:
    """Whether the rule rings on this local date."""
    if rule.start is not None and day < rule.start:
        return False
    anchor = rule.start or _EPOCH
    match rule.freq:
        case "daily":
            return (day - anchor).days % rule.interval == 0
        case "weekly":
            weeks = (_monday(day) - _monday(anchor)).days // 7
            return day.weekday() in rule.weekdays and weeks % rule.interval == 0
        case "monthly":
            months = _month_index(day) - _month_index(anchor)
            return months % rule.interval == 0 and day == _clamped(day.year, day.month, rule)
        case _:
            years = day.year - anchor.year
            return (
                years % rule.interval == 0
                and day.month == rule.month
                and day == _clamped(day.year, day.month, rule)
            )


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``zone`` as a UTC instant: forward by the gap when that wall time
    does not exist, the first of the two when it happens twice (``fold=0`` does both)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_occurrence(rule: Recurrence, after: datetime, zone: ZoneInfo) -> datetime:
    """The rule's first occurrence strictly after ``after`` (aware), as a UTC datetime."""
    if after.tzinfo is None:
        raise ValueError("next_occurrence needs an aware datetime")
    at = time(rule.hour, rule.minute)
    # A day early: a gap can push the previous day's late occurrence past midnight.
    begin = after.astimezone(zone).date() - timedelta(days=1)
    for day in _candidate_days(rule, begin):
        instant = local_instant(day, at, zone)
        if instant > after:
            return instant
    raise AssertionError("unreachable: candidate days never end")  # pragma: no cover


def occurrences(rule: Recurrence, after: datetime, zone: ZoneInfo, count: int) -> list[datetime]:
    """The next ``count`` occurrences after ``after``."""
    found: list[datetime] = []
    while len(found) < count:
        after = next_occurrence(rule, after, zone)
        found.append(after)
    return found


def _candidate_days(rule: Recurrence, begin: date) -> Iterator[date]:
    """The days the rule rings on, in order, from ``begin`` on."""
    if rule.start is not None and begin < rule.start:
        begin = rule.start
    anchor = rule.start or _EPOCH
    if rule.freq == "daily":
        day = begin + timedelta(days=-(begin - anchor).days % rule.interval)
        while True:
            yield day
            day += timedelta(days=rule.interval)
    elif rule.freq == "weekly":
        day = begin
        while True:
            weeks = (_monday(day) - _monday(anchor)).days // 7
            skip = -weeks % rule.interval
            if skip:
                day = _monday(day) + timedelta(weeks=skip)
                continue
            if day.weekday() in rule.weekdays:
                yield day
            day += timedelta(days=1)
    else:
        step = rule.interval if rule.freq == "monthly" else 12 * rule.interval
        index = _month_index(begin)
        if rule.freq == "yearly":
            assert rule.month is not None
            index = 12 * begin.year + rule.month - 1
            if index < _month_index(begin):
                index += 12
            offset = (begin.year if index // 12 == begin.year else begin.year + 1) - anchor.year
            index += 12 * (-offset % rule.interval)
        else:
            index += -(index - _month_index(anchor)) % rule.interval
        while True:
            day = _clamped(index // 12, index % 12 + 1, rule)
            if day >= begin:
                yield day
            index += step


def _clamped(year: int, month: int, rule: Recurrence) -> date:
    assert rule.month_day is not None
    return date(year, month, min(rule.month_day, calendar.monthrange(year, month)[1]))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_index(day: date) -> int:
    return 12 * day.year + day.month - 1
