"""Dates and times, resolved against ``ParseContext``: the main entry is ``parse_datetime``.

Resolution rules:

* Relative offsets ("in 20 minutes", 十分钟后, "2 hours ago") are exact arithmetic on UTC, so a
  DST change in between does not shift them; whole days ("in 3 days", 三天后) move the calendar
  date and give the start of that day.
* Every other time is built as local wall time in ``ctx.timezone``. A wall time that does not
  exist (inside a spring-forward gap) moves forward by the gap; one that exists twice (fall-back)
  is the first.
* An hour without am/pm and without a part of the day ("at 7", 七点):
  - with no date, the next occurrence: 7:00 if now is before 7 am, else 19:00 if now is before
    that, else 7:00 tomorrow;
  - with a date, 1-6 are afternoon (15:00 for "tomorrow at 3"), 7-11 morning, 12 noon.
* A part of the day settles the hour: 下午/晚上/afternoon/evening add 12 hours, 早上/上午/凌晨/
  morning do not; at night ("tonight at 1", 晚上十二点) 1-4 and 12 are the small hours that
  follow. 中午 keeps 11 and 12 and adds 12 to other hours.
* Midnight is the one that ends the day named ("tomorrow at midnight" = the start of the day
  after tomorrow).
* "Friday next week" / 下周的周五 is the Friday of next week; "christmas this year" / 今年圣诞节
  puts the year on a date said without one. Fixed-date holidays are known (Christmas, New
  Year's Day, 元旦, 国庆节, ...); lunar ones (春节, 中秋节) are not.
* With no date, a clock time already past today is tomorrow's, a part of the day already over is
  tomorrow's; a bare weekday that is today is today unless the time said is already past.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ting.nlu.types import ParseContext
from ting.values._text import normalize
from ting.values.dateparts import (
    PART_HOURS,
    CalendarDate,
    Clock,
    Fragment,
    PartOfDay,
    Recognizer,
    merge,
)
from ting.values.datetime_en import EN_RECOGNIZERS
from ting.values.datetime_zh import ZH_RECOGNIZERS
from ting.values.dayspecs import ResolvedDay, resolve_day
from ting.values.durations import parse_normalized_duration
from ting.values.model import DateTimeValue, Grain

_RECOGNIZERS: tuple[Recognizer, ...] = ZH_RECOGNIZERS + EN_RECOGNIZERS
_FUTURE_OFFSET = re.compile(
    r"(?:(?:in|within|after) (?P<a>.+))|(?:(?P<b>.+?) (?:from now|later|hence))"
    r"|(?:(?:再过|过)?(?P<c>.+?)(?:以后|之后|后))|(?:(?:再过|过)(?P<d>.+))"
    r"|(?:(?P<e>.+?) from today)"
)
_POSSESSIVE = re.compile(r"(?<=[a-z])'s(?![a-z])")
_PAST_OFFSET = re.compile(r"(?P<a>.+?) ago|(?P<b>.+?)(?:以前|之前|前)")
_FILLERS = re.compile(
    r"(?<![a-z])(?:at|on|the|of|in|by|around|about|and|for)(?![a-z])|[的在于约,，、\s]|大约|左右"
)
_AMBIGUOUS_WITH_DATE_PM = range(1, 7)


def _offset(text: str) -> tuple[timedelta, bool] | None:
    """(signed offset, whole calendar days) for "in 20 minutes", 三天后, "2 hours ago"."""
    for pattern, sign in ((_FUTURE_OFFSET, 1), (_PAST_OFFSET, -1)):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        inner = next(group for group in match.groups() if group is not None)
        parsed = parse_normalized_duration(inner.strip())
        if parsed is not None:
            return sign * parsed[0], parsed[1]
    return None


def _grain_of(offset: timedelta) -> Grain:
    seconds = abs(offset).total_seconds()
    if seconds % 60:
        return "second"
    return "minute" if seconds % 3600 else "hour"


def _wall_time(day: date, hour: int, minute: int, second: int, zone: ZoneInfo) -> datetime:
    """Local wall time, with a nonexistent (gap) time moved forward by the gap."""
    naive = datetime.combine(day, time(hour, minute, second), tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


def _from_offset(offset: timedelta, whole_days: bool, ctx: ParseContext) -> DateTimeValue:
    if whole_days:
        day = ctx.local_now().date() + offset
        return DateTimeValue(_wall_time(day, 0, 0, 0, ctx.timezone), True, False, "day", True)
    when = (ctx.now.astimezone(UTC) + offset).astimezone(ctx.timezone)
    return DateTimeValue(when, True, True, _grain_of(offset), True)


def _scan(text: str) -> Fragment | None:
    """All recognized pieces merged; None on conflict, invalid pieces or unknown leftovers."""
    found = Fragment()
    for pattern, handler in _RECOGNIZERS:
        while (match := pattern.search(text)) is not None and match.group().strip():
            piece = handler(match)
            merged = None if piece is None else merge(found, piece)
            if merged is None:
                return None
            found, text = merged, f"{text[: match.start()]} {text[match.end() :]}"
    if _FILLERS.sub("", text) or found.is_empty():
        return None
    return found


def _hour_with_part(hour: int, part: PartOfDay) -> tuple[int, int] | None:
    """(hour 0-23, days to add) for an hour 1-12 said with a part of the day."""
    if part in ("early_morning", "morning"):
        return (0, 0) if hour == 12 and part == "early_morning" else (hour, 0)
    if part == "noon":
        return (hour, 0) if hour in (11, 12) else (hour + 12, 0)
    if part == "afternoon":
        return (12 if hour == 12 else hour + 12), 0
    if part == "evening":
        return None if hour == 12 else (hour + 12, 0)
    if hour == 12:
        return 0, 1
    return (hour, 1) if hour <= 4 else (hour + 12, 0)


def _hour_of(clock: Clock, part: PartOfDay | None, has_date: bool) -> tuple[int, int] | None:
    """(hour 0-23, days to add), (-1, 0) when the hour stays ambiguous, None when invalid."""
    hour = clock.hour
    if clock.midnight:
        return 0, 1
    if clock.meridiem is not None:
        return hour % 12 + (12 if clock.meridiem == "pm" else 0), 0
    if clock.fixed or hour == 0 or hour > 12:
        if hour > 12 and part in ("early_morning", "morning"):
            return None
        return hour, 0
    if part is not None:
        return _hour_with_part(hour, part)
    if not has_date:
        return -1, 0
    return (hour + 12 if hour in _AMBIGUOUS_WITH_DATE_PM else hour), 0


def _next_of_either(clock: Clock, now: datetime, zone: ZoneInfo) -> datetime:
    """The next future occurrence of an hour 1-12 as am or pm, today or tomorrow."""
    today = now.date()
    candidates = (
        _wall_time(today, clock.hour % 12, clock.minute, clock.second, zone),
        _wall_time(today, clock.hour % 12 + 12, clock.minute, clock.second, zone),
        _wall_time(today + timedelta(days=1), clock.hour % 12, clock.minute, clock.second, zone),
    )
    return next(candidate for candidate in candidates if candidate > now)


def _with_clock(
    fragment: Fragment, clock: Clock, day: ResolvedDay | None, ctx: ParseContext
) -> datetime | None:
    now = ctx.local_now()
    hour_and_shift = _hour_of(clock, fragment.part, day is not None)
    if hour_and_shift is None:
        return None
    hour, shift = hour_and_shift
    if hour < 0:
        return _next_of_either(clock, now, ctx.timezone)
    base = day.date if day is not None else now.date()
    when = _wall_time(base + timedelta(days=shift), hour, clock.minute, clock.second, ctx.timezone)
    if when <= now and (day is None or day.rolls_weekly):
        when = _wall_time(
            base + timedelta(days=shift + (1 if day is None else 7)),
            hour, clock.minute, clock.second, ctx.timezone,
        )  # fmt: skip
    return when


def _with_part(part: PartOfDay, day: ResolvedDay | None, ctx: ParseContext) -> datetime:
    now = ctx.local_now()
    start, end = PART_HOURS[part]
    base = day.date if day is not None else now.date()
    if day is None and now.hour >= end:
        base += timedelta(days=1)
    return _wall_time(base, start, 0, 0, ctx.timezone)


def _with_year(fragment: Fragment, today: date) -> Fragment | None:
    """The fragment with "this/next year" applied to its date; None when it has no such date."""
    if fragment.year_shift is None:
        return fragment
    spec = fragment.day
    if not isinstance(spec, CalendarDate) or spec.year is not None or spec.month is None:
        return None
    return replace(fragment, day=replace(spec, year=today.year + fragment.year_shift))


def _resolve(fragment: Fragment, ctx: ParseContext) -> DateTimeValue | None:
    day = None
    found = _with_year(fragment, ctx.local_now().date())
    if found is None:
        return None
    fragment = found
    if fragment.day is not None:
        day = resolve_day(fragment.day, ctx.local_now().date())
        if day is None:
            return None
    relative = day is not None and day.relative
    has_date = day is not None
    if fragment.clock is not None:
        when = _with_clock(fragment, fragment.clock, day, ctx)
        if when is None:
            return None
        return DateTimeValue(when, has_date, True, fragment.clock.grain, relative)
    if fragment.part is not None:
        when = _with_part(fragment.part, day, ctx)
        return DateTimeValue(when, has_date, True, "part_of_day", relative)
    assert day is not None  # a non-empty fragment without clock or part has a day
    when = _wall_time(day.date, 0, 0, 0, ctx.timezone)
    return DateTimeValue(when, True, False, day.grain, relative)


def parse_datetime(text: str, ctx: ParseContext) -> DateTimeValue | None:
    """The moment ``text`` names, resolved against ``ctx``; None when it names none or an
    invalid one ("25 o'clock", "13 pm", 2月30号). Past moments ("yesterday") are returned."""
    folded = normalize(text)
    if folded is None:
        return None
    folded = _POSSESSIVE.sub("", folded)
    offset = _offset(folded)
    if offset is not None:
        try:
            return _from_offset(*offset, ctx)
        except OverflowError:
            return None
    fragment = _scan(folded)
    if fragment is None:
        return None
    try:
        return _resolve(fragment, ctx)
    except (OverflowError, ValueError):
        return None


def parse_date(text: str, ctx: ParseContext) -> date | None:
    """The local calendar date ``text`` names ("tomorrow", 3月3号, "next Friday at 5")."""
    value = parse_datetime(text, ctx)
    return None if value is None or not value.has_date else value.when.date()


def parse_time(text: str, ctx: ParseContext) -> time | None:
    """The local wall-clock time ``text`` names ("7:30 pm", 下午三点), without a date."""
    value = parse_datetime(text, ctx)
    return None if value is None or not value.has_time else value.when.time()
