"""When an alarm rings: the spoken time turned into a first ring and, maybe, a recurrence.

Hours said without a part of the day ("at 7", 七点) are read the way alarms are used:

- with a day ("tomorrow at 6:30") or a repetition ("every weekday at 7"), hours 1-11 are in the
  morning (people set alarms to wake up);
- with neither, the alarm rings at the next occurrence of that clock time, morning or evening
  ("set an alarm for 7" at 10 in the morning rings at 7 in the evening).

An alarm's payload keeps ``tz`` (the time zone it was set in: recurrences follow its wall clock)
and ``time`` ("HH:MM", the clock time it was set for, spoken when it rings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ting.nlu.types import ParseContext, SlotValue
from ting.scheduler.recurrence import Recurrence, next_occurrence
from ting.store.records import ScheduledItem
from ting.values import DateTimeValue, RecurrencePattern, parse_datetime

_MERIDIEM = re.compile(
    r"\b(?:a\.?m|p\.?m|morning|afternoon|evening|night|tonight|noon|midnight|o'clock in)\b"
    r"|早|晚|上午|中午|下午|凌晨|傍晚|夜|午|半夜|今晚|明早"
    r"|(?<!\d)(?:1[3-9]|2[0-3]|00)(?:[:.点]|\s*hundred)|十[三四五六七八九]点|二十[一二三]?点"
)

_OFFSET = re.compile(r"\bin\b|from now|later|(?<!天)后(?!天)|以后|之后|过")
"""An offset from now ("in 20 minutes", 二十分钟后): the parser's instant is exact."""


@dataclass(frozen=True)
class AlarmTime:
    """A resolved alarm: its first ring, and its rule when it repeats."""

    due_at: datetime
    """Timezone-aware, in the alarm's time zone."""
    recurrence: Recurrence | None


class TimeProblem(Exception):
    """The time cannot be an alarm; ``key`` names the reply that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def says_part_of_day(text: str) -> bool:
    return bool(_MERIDIEM.search(text.lower()))


def resolve(
    when: SlotValue, repeat: RecurrencePattern | None, now: datetime, zone: ZoneInfo
) -> AlarmTime:
    """The alarm the user asked for; raises ``TimeProblem`` for a time that cannot be one."""
    value = when.value
    if not isinstance(value, DateTimeValue):
        raise TimeProblem("bad_time")
    if not value.has_time:
        raise TimeProblem("ask_time")
    local_now = now.astimezone(zone)
    moment = value.when.astimezone(zone)
    hour = moment.hour
    explicit = says_part_of_day(when.text) or bool(_OFFSET.search(when.text.lower()))
    if not explicit and 1 <= hour % 12 <= 11 and (value.has_date or repeat is not None):
        hour %= 12
    if repeat is not None:
        rule = _rule(repeat, hour, moment.minute, value, local_now)
        return AlarmTime(next_occurrence(rule, now, zone).astimezone(zone), rule)
    if value.has_date:
        due = datetime.combine(moment.date(), time(hour, moment.minute), tzinfo=zone)
        if due <= local_now:
            raise TimeProblem("in_the_past")
        return AlarmTime(due, None)
    return AlarmTime(moment if moment > local_now else moment + timedelta(days=1), None)


def _rule(
    repeat: RecurrencePattern, hour: int, minute: int, value: DateTimeValue, local_now: datetime
) -> Recurrence:
    if value.has_date:
        start = value.when.date()
    else:
        today_at = datetime.combine(local_now.date(), time(hour, minute), tzinfo=local_now.tzinfo)
        start = local_now.date() + timedelta(days=0 if today_at > local_now else 1)
    # Intervals count from the first ring: "every other Monday" said on a Tuesday starts on
    # the coming Monday, "every other month on the 1st" said on the 24th on the next 1st.
    if repeat.freq == "weekly" and repeat.weekdays:
        while start.weekday() not in repeat.weekdays:
            start += timedelta(days=1)
    elif repeat.freq == "monthly" and repeat.month_day and start.day > repeat.month_day:
        start = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    return Recurrence.from_pattern(repeat, hour, minute, start)


def item_zone(item: ScheduledItem, fallback: ZoneInfo) -> ZoneInfo:
    name = item.payload.get("tz")
    try:
        return ZoneInfo(str(name)) if name else fallback
    except (ValueError, KeyError):
        return fallback


def item_rule(item: ScheduledItem) -> Recurrence | None:
    return Recurrence.from_text(item.recurrence) if item.recurrence else None


def clock_of(item: ScheduledItem, zone: ZoneInfo) -> time:
    """The clock time the alarm was set for (a gap may have moved one ring)."""
    said = str(item.payload.get("time", ""))
    if re.fullmatch(r"\d{2}:\d{2}", said):
        return time(int(said[:2]), int(said[3:]))
    if item.due_at is None:
        return time(0)
    return item.due_at.astimezone(zone).time().replace(second=0, microsecond=0)


def same_clock(wanted: SlotValue, clock: time) -> bool:
    """Whether "the 7 am alarm" (or "the 7 o'clock one": morning or evening) is this one."""
    value = wanted.value
    if not isinstance(value, DateTimeValue) or not value.has_time:
        return False
    said = value.when
    if said.minute != clock.minute:
        return False
    if says_part_of_day(wanted.text):
        return said.hour == clock.hour
    return said.hour % 12 == clock.hour % 12


def resolve_change(
    new: SlotValue, alarm: ScheduledItem, now: datetime, zone: ZoneInfo
) -> AlarmTime:
    """The alarm moved to the time ``new`` names. Without a day it stays on its day (or its
    rule); without a part of the day it takes the reading nearest to its old time."""
    value = new.value
    if not isinstance(value, DateTimeValue) or not value.has_time:
        raise TimeProblem("bad_time")
    zone = item_zone(alarm, zone)
    old = clock_of(alarm, zone)
    moment = value.when.astimezone(zone)
    hour = moment.hour
    if not says_part_of_day(new.text) and not _OFFSET.search(new.text.lower()):
        options = (hour % 12, hour % 12 + 12)
        hour = min(
            options, key=lambda h: abs((h * 60 + moment.minute) - (old.hour * 60 + old.minute))
        )
    rule = item_rule(alarm)
    if rule is not None:
        moved = replace(rule, hour=hour, minute=moment.minute)
        return AlarmTime(next_occurrence(moved, now, zone).astimezone(zone), moved)
    if value.has_date or _OFFSET.search(new.text.lower()):
        day = moment.date()
    else:
        day = (alarm.due_at or now).astimezone(zone).date()
    due = datetime.combine(day, time(hour, moment.minute), tzinfo=zone)
    if due <= now:
        raise TimeProblem("in_the_past")
    return AlarmTime(due, None)


def hour_as_time(hour: SlotValue, ctx: ParseContext) -> SlotValue | None:
    """ "6" -> the next 6 o'clock (morning or evening), as a datetime slot; None past 24."""
    if not isinstance(hour.value, int) or not 0 <= hour.value <= 24:
        return SlotValue(hour.name, "datetime", None, hour.text)
    value = parse_datetime(f"{hour.value % 24}:00", ctx)
    return None if value is None else SlotValue(hour.name, "datetime", value, hour.text)
