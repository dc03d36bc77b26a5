"""How a reminder is described in replies: what it is about, when it rings, how often.

Words come from the responses files (as ``Fragment``s) and from the ``ting.values`` speakers;
times are spoken in the reminder's own time zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ting.scheduler.recurrence import Recurrence
from ting.skills.base import Fragment
from ting.store.records import ScheduledItem
from ting.values import speak_datetime, speak_time, speak_weekday

_MONDAY = datetime(2026, 11, 23)
"""Any Monday, to name weekdays by number."""


def what(task: str, link: str) -> Fragment:
    """ "to call your mom" / "about the meeting" (English); the task alone in Chinese."""
    key = {"about": "what_about", "that": "what_that"}.get(link, "what_to")
    return Fragment(key, {"task": task})


def item_what(item: ScheduledItem) -> Fragment:
    payload = item.payload
    return what(str(payload.get("task") or item.label or ""), str(payload.get("link", "to")))


def spoken_when(due: datetime, language: str, now: datetime, zone: ZoneInfo) -> str:
    """ "today at 6 PM", "tomorrow at 9 AM" / 今天下午6点, 明天早上9点."""
    return speak_datetime(due.astimezone(zone), language, now.astimezone(zone))


def spoken_clock(due: datetime, language: str, zone: ZoneInfo) -> str:
    local = due.astimezone(zone)
    return speak_time(local, language, local)


def repeat_words(rule: Recurrence, language: str) -> Fragment:
    """ "every weekday", "every Monday and Thursday", "every 2 days" / 每个工作日, 每周一和周四."""
    days = sorted(rule.weekdays)
    if rule.freq == "daily":
        return Fragment("repeat_daily" if rule.interval == 1 else "repeat_days", _n(rule))
    if rule.freq == "weekly":
        if rule.interval == 1 and days == [0, 1, 2, 3, 4]:
            return Fragment("repeat_weekdays")
        if rule.interval == 1 and days == [5, 6]:
            return Fragment("repeat_weekends")
        names = [_weekday(day, language) for day in days]
        key = "repeat_weekly" if rule.interval == 1 else "repeat_weeks"
        return Fragment(key, {"days": names, **_n(rule)})
    if rule.freq == "monthly":
        key = "repeat_monthly" if rule.interval == 1 else "repeat_months"
        return Fragment(key, {"day": rule.month_day or 1, **_n(rule)})
    return Fragment("repeat_yearly", {"month": rule.month or 1, "day": rule.month_day or 1})


def _n(rule: Recurrence) -> dict[str, Any]:
    return {"n": rule.interval}


def _weekday(day: int, language: str) -> str:
    name = speak_weekday(_MONDAY.replace(day=_MONDAY.day + day).date(), language)
    return name.replace("星期", "周") if language == "zh" else name


def describe(item: ScheduledItem, language: str, now: datetime, zone: ZoneInfo) -> Fragment:
    """One reminder in a list: "call your mom, today at 6 PM"."""
    rule = Recurrence.from_text(item.recurrence) if item.recurrence else None
    task = str(item.payload.get("task") or item.label or "")
    if rule is not None and item.due_at is not None:
        return Fragment(
            "item_repeat",
            {
                "task": task,
                "repeat": repeat_words(rule, language),
                "time": spoken_clock(item.due_at, language, zone),
            },
        )
    when = spoken_when(item.due_at, language, now, zone) if item.due_at else ""
    return Fragment("item", {"task": task, "when": when})
