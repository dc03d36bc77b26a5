"""Which alarms a request means: by label ("the gym alarm"), by time ("my 7 am alarm"), by day
("tomorrow's alarm", 明天的闹钟), the one the conversation is about, or the only one there is;
and which alarm is ringing (fired on this device in the last ``RINGING_FOR``)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ting.nlu.types import SlotValue
from ting.scheduler.recurrence import occurs_on
from ting.skills.base import IntentRequest, Scope
from ting.skills.builtin.alarms.timing import (
    clock_of,
    hour_as_time,
    item_rule,
    item_zone,
    same_clock,
)
from ting.store.base import Store
from ting.store.records import ItemKind, ItemState, ScheduledItem
from ting.values import DateTimeValue, parse_datetime

RINGING_FOR = timedelta(minutes=10)
"""An alarm that fired this recently is "the alarm" that snooze and stop mean."""
_ALARM_WORDS = re.compile(r"闹钟|闹铃|alarms?|clock|那一个|那个|这个|的$")
_ARTICLES = frozenset({"the", "my", "a", "an", "that", "this", "one", "called", "named", "for"})


async def active_alarms(store: Store, scope: Scope) -> list[ScheduledItem]:
    return await store.list_items(
        scope.household_id,
        scope.device_id,
        kind=ItemKind.ALARM,
        states=(ItemState.PENDING, ItemState.PAUSED),
    )


async def ringing_alarm(store: Store, scope: Scope, now: datetime) -> ScheduledItem | None:
    """The alarm that rang last on this device within ``RINGING_FOR``, not yet stopped."""
    items = await store.list_items(
        scope.household_id,
        scope.device_id,
        kind=ItemKind.ALARM,
        states=(ItemState.PENDING, ItemState.FIRED),
    )
    recent = [
        item
        for item in items
        if item.fired_at is not None
        and now - RINGING_FOR <= item.fired_at <= now
        and item.payload.get("handled_fire") != item.fired_at.isoformat()
    ]
    return max(recent, key=lambda i: i.fired_at or now, default=None)


def normalize_label(label: str) -> str:
    """ "The Gym Alarm" -> "gym", "健身的闹钟" -> "健身"."""
    text = _ALARM_WORDS.sub(" ", label.lower()).strip()
    text = _ALARM_WORDS.sub(" ", text)
    return " ".join(w for w in text.split() if w not in _ARTICLES).removesuffix("的").strip()


def occurs_on_day(item: ScheduledItem, day: date, zone: ZoneInfo) -> bool:
    """Whether the alarm rings on this local date (its next ring, or any ring of its rule)."""
    if item.due_at is None:
        return False
    zone = item_zone(item, zone)
    first = item.due_at.astimezone(zone).date()
    rule = item_rule(item)
    if rule is None:
        return first == day
    return day >= first and occurs_on(rule, day)


def select_alarms(
    alarms: list[ScheduledItem], request: IntentRequest, *, when_slot: str = "when"
) -> list[ScheduledItem]:
    """The alarms the request names; all of them when it names none."""
    zone = request.parse_context.timezone
    chosen = list(alarms)
    label = request.slots.get("label")
    if label is not None and str(label.value).strip():
        chosen = _by_label(chosen, str(label.value), request, zone)
    when = request.slots.get(when_slot)
    hour = request.slots.get("hour")
    if when is None and hour is not None:
        when = hour_as_time(hour, request.parse_context)
    if when is not None:
        chosen = _by_time(chosen, when, zone)
    named = label is not None or when is not None
    previous = request.previous
    if len(chosen) > 1 and not named and previous is not None and previous.intent == "AlarmNext":
        current = previous.context.get("alarm_id")
        focused = [a for a in chosen if a.id == current]
        if focused:
            return focused
    return chosen


def _by_label(
    alarms: list[ScheduledItem], said: str, request: IntentRequest, zone: ZoneInfo
) -> list[ScheduledItem]:
    wanted = normalize_label(said)
    named = [a for a in alarms if a.label and normalize_label(a.label) == wanted]
    if named or not wanted:
        return named or alarms
    named = [
        a
        for a in alarms
        if a.label and (wanted in normalize_label(a.label) or normalize_label(a.label) in wanted)
    ]
    if named:
        return named
    # "the seven o'clock one", 明天那个: an answer to "which one?" may name a time or a day.
    value = parse_datetime(said, request.parse_context) or parse_datetime(
        wanted, request.parse_context
    )
    if value is None:
        return []
    return _by_time(alarms, SlotValue("label", "datetime", value, said), zone)


def _by_time(alarms: list[ScheduledItem], when: SlotValue, zone: ZoneInfo) -> list[ScheduledItem]:
    value = when.value
    if not isinstance(value, DateTimeValue):
        return alarms
    chosen = alarms
    if value.has_time and not (value.relative and value.grain in ("second", "minute")):
        chosen = [a for a in chosen if same_clock(when, clock_of(a, item_zone(a, zone)))]
    if value.has_date:
        day = value.when.astimezone(zone).date()
        chosen = [a for a in chosen if occurs_on_day(a, day, zone)]
    return chosen
