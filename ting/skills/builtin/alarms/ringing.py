"""A ringing alarm: snooze it, stop it, word its ring, and compute a recurring alarm's next ring.

A ring is on time, late (Ting was down when it fell due: it still rings and says so), or missed
(more than ``MISSED_AFTER`` late: announced, not rung, and closed at once).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ting.scheduler.recurrence import next_occurrence
from ting.skills.base import IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.alarms.select import ringing_alarm
from ting.skills.builtin.alarms.timing import item_rule, item_zone
from ting.skills.builtin.alarms.words import action, spoken_when
from ting.store.records import ItemKind, ItemState, Notification, ScheduledItem
from ting.values import speak_time

DEFAULT_SNOOZE = timedelta(minutes=9)
MAX_SNOOZE = timedelta(hours=1)
LATE_AFTER_S = 60.0
MISSED_AFTER_S = 3600.0
"""A ring this late (seconds) is announced as missed instead of rung."""
_UTC = ZoneInfo("UTC")


class RingingMixin(Skill):
    @handles("AlarmSnooze")
    async def snooze(self, request: IntentRequest) -> SkillReply:
        length = request.slot("duration") or DEFAULT_SNOOZE
        if not isinstance(length, timedelta) or not timedelta(minutes=1) <= length <= MAX_SNOOZE:
            return self.reply("bad_snooze", longest=MAX_SNOOZE)
        ringing = await ringing_alarm(self.services.store, request.scope, request.now)
        if ringing is None:
            return self.reply("nothing_to_snooze")
        await self._close_ring(ringing)
        snoozed = ScheduledItem.new(
            kind=ItemKind.ALARM,
            owner_skill=self.name,
            language=ringing.language,
            created_at=request.now,
            due_at=request.now + length,
            label=ringing.label,
            payload={**ringing.payload, "snooze_of": ringing.id},
            household_id=ringing.household_id,
            device_id=ringing.device_id,
            user_id=ringing.user_id,
        )
        await self.services.store.add_item(snoozed)
        self.services.wake_scheduler()
        zone = request.parse_context.timezone
        local_now = request.now.astimezone(zone)
        until = spoken_when(snoozed.due_at or request.now, request.language, local_now, zone)
        return self.reply(
            "snoozed",
            duration=length,
            until=until,
            actions=(action("alarm.snooze", snoozed, snoozed_alarm_id=ringing.id),),
            context={"alarm_id": snoozed.id},
        )

    @handles("AlarmStop")
    async def stop(self, request: IntentRequest) -> SkillReply:
        ringing = await ringing_alarm(self.services.store, request.scope, request.now)
        if ringing is None:
            return self.reply("nothing_ringing")
        await self._close_ring(ringing)
        zone = request.parse_context.timezone
        if ringing.recurrence and ringing.due_at is not None:
            local_now = request.now.astimezone(zone)
            again = spoken_when(ringing.due_at, request.language, local_now, zone)
            return self.reply(
                "stopped_repeat", next=again, actions=(action("alarm.stop", ringing),)
            )
        return self.reply("stopped", actions=(action("alarm.stop", ringing),))

    async def on_notification(self, notification: Notification) -> SkillReply:
        payload = notification.payload
        label = str(payload.get("label") or "")
        zone = _zone(payload.get("tz"))
        due = notification.due_at.astimezone(zone)
        clock = str(payload.get("time") or f"{due.hour:02d}:{due.minute:02d}")
        moment = due.replace(hour=int(clock[:2]), minute=int(clock[3:5]))
        language = notification.language
        time_words = spoken_clock_at(moment, language)
        late = timedelta(seconds=round(notification.late_by_s))
        values: dict[str, Any] = {"time": time_words, "label": label, "late": late}
        if notification.late_by_s >= MISSED_AFTER_S:
            await self._close_missed(notification)
            return self.reply("missed_named" if label else "missed", **values)
        if notification.late_by_s >= LATE_AFTER_S:
            return self.reply("ring_late_named" if label else "ring_late", **values)
        return self.reply("ring_named" if label else "ring", **values)

    def next_occurrence(self, item: ScheduledItem, after: datetime) -> datetime | None:
        rule = item_rule(item)
        if rule is None:
            return None
        return next_occurrence(rule, after, item_zone(item, _UTC))

    # -- helpers -------------------------------------------------------------------------------

    async def _close_ring(self, alarm: ScheduledItem) -> None:
        """Stopped or snoozed: a one-off alarm is done; a recurring one remembers the ring."""
        if alarm.recurrence is None:
            updated = replace(alarm, state=ItemState.DONE)
        else:
            fired = alarm.fired_at.isoformat() if alarm.fired_at else ""
            updated = replace(alarm, payload={**alarm.payload, "handled_fire": fired})
        await self.services.store.update_item(updated, expected_version=alarm.version)
        self.services.wake_scheduler()

    async def _close_missed(self, notification: Notification) -> None:
        alarm = await self.services.store.get_item(notification.item_id or "")
        if alarm is not None and alarm.state in (ItemState.FIRED, ItemState.PENDING):
            await self._close_ring(alarm)


def spoken_clock_at(moment: datetime, language: str) -> str:
    return speak_time(moment, language, moment)


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(name)) if name else _UTC
    except (ValueError, KeyError):
        return _UTC
