"""How alarms are described in replies: fragments of the skill's responses, never words in code.

Times are passed as text spoken in the alarm's time zone (the renderer would speak a bare
datetime in the zone of the instant it is given, and notifications are rendered in UTC).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ting.scheduler.recurrence import Recurrence
from ting.skills.base import Action, Fragment
from ting.skills.builtin.alarms.timing import clock_of, item_rule, item_zone
from ting.store.records import ScheduledItem
from ting.values import speak_datetime, speak_time, speak_weekday
from ting.values.recurrence import WEEKDAYS, WEEKEND


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def spoken_when(moment: datetime, language: str, now: datetime, zone: ZoneInfo) -> str:
    """ "tomorrow at 7 AM" / 明天早上7点, in ``zone``."""
    return speak_datetime(moment.astimezone(zone), language, now.astimezone(zone))


def spoken_clock(item: ScheduledItem, language: str, zone: ZoneInfo) -> str:
    """The clock time the alarm was set for: "7 AM" / 早上7点."""
    zone = item_zone(item, zone)
    clock = clock_of(item, zone)
    moment = datetime(2000, 1, 3, clock.hour, clock.minute, tzinfo=zone)
    return speak_time(moment, language, moment)


def _ordinal_en(day: int) -> str:
    suffix = "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def repeat_fragment(rule: Recurrence, language: str) -> Fragment:
    """ "every weekday", "every other day", 每周一和周三 ..."""
    n = rule.interval
    if rule.freq == "daily":
        if n == 1:
            return Fragment("repeat_daily")
        return Fragment("repeat_other_day" if n == 2 else "repeat_days", {"n": n})
    if rule.freq == "weekly":
        days = [speak_weekday(_a_day(d), language) for d in sorted(rule.weekdays)]
        if n == 1 and rule.weekdays == frozenset(WEEKDAYS):
            return Fragment("repeat_weekdays")
        if n == 1 and rule.weekdays == frozenset(WEEKEND):
            return Fragment("repeat_weekends")
        key = "repeat_weekly" if n == 1 else "repeat_other_week" if n == 2 else "repeat_weeks"
        return Fragment(key, {"n": n, "days": days})
    if rule.freq == "monthly":
        day = rule.month_day or 1
        spoken = _ordinal_en(day) if language == "en" else day
        return Fragment("repeat_monthly" if n == 1 else "repeat_months", {"n": n, "day": spoken})
    return Fragment("repeat_yearly")


def _a_day(weekday: int) -> datetime:
    return datetime(2024, 1, 1 + weekday)  # 2024-01-01 was a Monday


def describe(item: ScheduledItem, language: str, now: datetime, zone: ZoneInfo) -> Fragment:
    """One alarm as a reply fragment: "the gym alarm for tomorrow at 6 AM"."""
    rule = item_rule(item)
    values: dict[str, Any] = {"label": item.label or ""}
    if rule is None:
        when = item.due_at or now
        values["when"] = spoken_when(when, language, now, item_zone(item, zone))
        return Fragment("desc_once_named" if item.label else "desc_once", values)
    values["time"] = spoken_clock(item, language, zone)
    values["repeat"] = repeat_fragment(rule, language)
    return Fragment("desc_repeat_named" if item.label else "desc_repeat", values)


def action(kind: str, item: ScheduledItem, **extra: Any) -> Action:
    return Action(
        kind,
        {
            "alarm_id": item.id,
            "label": item.label,
            "due_at": item.due_at.isoformat() if item.due_at else None,
            "recurrence": item.recurrence,
            **extra,
        },
    )
