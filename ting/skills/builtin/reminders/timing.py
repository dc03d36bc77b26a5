"""When a reminder rings, from what the user said.

- A clock time or an offset is used as parsed ("at 6 pm", "in two hours", 两小时后): offsets are
  exact on UTC, so "in 3 hours" across a DST change still rings 3 hours later.
- A part of the day alone rings at a set hour: morning 9:00, noon 12:00, afternoon 15:00,
  evening/night 19:00 (early morning keeps its start). "this afternoon" said after 15:00 asks
  for the time instead.
- A day without a time ("tomorrow", 周五) asks "what time?"; the answer is read together with
  the day ("tomorrow" + "at 9" = tomorrow 9:00).
- A time that has passed ("yesterday", "today at 9" said at 10) is refused.
- A repetition ("every Monday", 每天) takes its hour the way a time with a date does (7-11 am,
  1-6 pm), so "every Monday at 9" is 9 am; it needs a time of day or a part of the day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ting.nlu.types import ParseContext
from ting.scheduler.recurrence import Recurrence, next_occurrence
from ting.values import DateTimeValue, parse_datetime, parse_duration
from ting.values.recurrence import RecurrencePattern, parse_recurrence

_PART_DEFAULTS = {6: (9, 0), 12: (15, 0), 18: (19, 0)}
"""Start hour of a part of the day (see ``ting.values.dateparts.PART_HOURS``) -> hour it rings."""
_NOON_WORDS = re.compile(r"(?<!after)noon|lunch|中午|午饭|午餐")
_OFFSET_TRIM = ("from now", "later", "in ", "within ", "after ", "以后", "之后", "后", "再过", "过")
_DAY_PREFIX = ("tomorrow ", "明天")


@dataclass(frozen=True)
class Timing:
    due: datetime | None = None
    """UTC; None when ``problem`` is set."""
    rule: Recurrence | None = None
    problem: str | None = None
    """A response key: ``ask_time``, ``ask_time_on_day``, ``in_past``."""
    day: datetime | None = None
    """The day said without a time (for "what time on Friday?")."""


@dataclass(frozen=True)
class Said:
    """A datetime slot with the words it came from."""

    value: DateTimeValue
    text: str


def said(value: Any, text: str | None) -> Said | None:
    return Said(value, text or "") if isinstance(value, DateTimeValue) else None


def read_pattern(value: Any) -> tuple[RecurrencePattern | None, str | None]:
    """(pattern, part of the day hint) from a ``repeat`` slot: a pattern, or list text such as
    "every day;evening" (a part of the day after the semicolon)."""
    if isinstance(value, RecurrencePattern):
        return value, None
    if not isinstance(value, str) or not value.strip():
        return None, None
    text, _, part = value.partition(";")
    return parse_recurrence(text), part or None


def combine(when: Said | None, answer: Said | None, ctx: ParseContext) -> Said | None:
    """A day said first and a time given when asked: "tomorrow" + "at 9"."""
    if answer is None or not answer.value.has_time:
        return when
    if when is None or when.value.has_time or not when.value.has_date:
        return answer
    joined = parse_datetime(f"{when.text} {answer.text}", ctx)
    if joined is not None and joined.has_date and joined.has_time:
        return Said(joined, f"{when.text} {answer.text}")
    clock = answer.value.when.astimezone(ctx.timezone)
    moment = wall_time(when.value.when.date(), clock.hour, clock.minute, ctx.timezone)
    value = DateTimeValue(moment, True, True, answer.value.grain, when.value.relative)
    return Said(value, f"{when.text} {answer.text}")


def wall_time(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Local wall time; one inside a spring-forward gap moves forward by the gap."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC).astimezone(zone)


def _settled(when: Said, zone: ZoneInfo) -> datetime:
    """The moment a time rings: a bare part of the day gets its set hour."""
    local = when.value.when.astimezone(zone)
    if when.value.grain != "part_of_day":
        return local
    hour, minute = _PART_DEFAULTS.get(local.hour, (local.hour, 0))
    if local.hour == 12 and _NOON_WORDS.search(when.text.lower()):
        hour = 12
    return wall_time(local.date(), hour, minute, zone)


def one_off(when: Said | None, ctx: ParseContext) -> Timing:
    if when is None:
        return Timing(problem="ask_time")
    today = ctx.local_now().date()
    local = when.value.when.astimezone(ctx.timezone)
    if not when.value.has_time:
        if local.date() < today:
            return Timing(problem="in_past")
        return Timing(problem="ask_time_on_day", day=local)
    due = _settled(when, ctx.timezone)
    if due <= ctx.now:
        if when.value.grain == "part_of_day" and local.date() == today:
            return Timing(problem="ask_time")
        return Timing(problem="in_past")
    return Timing(due=due.astimezone(UTC))


def recurring(
    pattern: RecurrencePattern, part: str | None, when: Said | None, ctx: ParseContext
) -> Timing:
    clock = recurring_clock(when, ctx, part)
    if clock is None:
        return Timing(problem="ask_time")
    today = ctx.local_now().date()
    rule = Recurrence.from_pattern(pattern, clock[0], clock[1], start=today)
    return Timing(due=next_occurrence(rule, ctx.now, ctx.timezone), rule=rule)


def recurring_clock(
    when: Said | None, ctx: ParseContext, part: str | None = None
) -> tuple[int, int] | None:
    """The wall-clock (hour, minute) of a repeating reminder, read as a time with a date."""
    if when is None or not when.value.has_time:
        if part is None:
            return None
        hinted = parse_datetime(f"tomorrow {part}", ctx)
        if hinted is None:
            return None
        when = Said(hinted, part)
    if when.value.grain == "part_of_day":
        local = _settled(when, ctx.timezone)
        return local.hour, local.minute
    if not when.value.has_date:
        for prefix in _DAY_PREFIX:
            hint = f"{part} " if part and prefix.endswith(" ") else ""
            dated = parse_datetime(f"{prefix}{hint}{when.text}", ctx) or parse_datetime(
                f"{prefix}{when.text}", ctx
            )
            if dated is not None and dated.has_time:
                return dated.when.hour, dated.when.minute
    local = when.value.when.astimezone(ctx.timezone)
    return local.hour, local.minute


def moved(old_due: datetime | None, when: Said, ctx: ParseContext) -> Timing:
    """A new time for an existing reminder: a clock time alone keeps the reminder's day ("move
    it to 4 pm"), a day alone keeps its clock time ("move it to Friday")."""
    zone = ctx.timezone
    if old_due is not None and not when.value.relative:
        old = old_due.astimezone(zone)
        local = _settled(when, zone)
        if when.value.has_time and not when.value.has_date:
            candidate = wall_time(old.date(), local.hour, local.minute, zone)
            if candidate > ctx.now:
                return Timing(due=candidate.astimezone(UTC))
    if old_due is not None and when.value.has_date and not when.value.has_time:
        old = old_due.astimezone(zone)
        day = when.value.when.astimezone(zone).date()
        candidate = wall_time(day, old.hour, old.minute, zone)
        if candidate > ctx.now:
            return Timing(due=candidate.astimezone(UTC))
        return Timing(problem="in_past")
    return one_off(when, ctx)


def offset_of(when: Said | None) -> timedelta | None:
    """The offset the user said ("in two hours", 两小时后), or None for a clock time."""
    if when is None or not when.value.relative or not when.value.has_time:
        return None
    text = when.text.lower().strip()
    for word in _OFFSET_TRIM:
        text = text.replace(word, " ")
    return parse_duration(" ".join(text.split())) if text.strip() else None


def zone_of(payload: dict[str, Any], fallback: ZoneInfo | None = None) -> ZoneInfo:
    name = payload.get("zone")
    if isinstance(name, str):
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            pass
    return fallback or ZoneInfo("UTC")
