"""Alarms: one-off and recurring, labelled, listed, moved, cancelled, snoozed and stopped.

Alarms are scheduled items of kind ``alarm`` on the device they were set on; the scheduler
rings them exactly once per occurrence, across restarts. A recurring alarm keeps its rule in
``ScheduledItem.recurrence`` (``ting.scheduler.recurrence`` text) and stays ``pending`` with its
next ring; a one-off alarm becomes ``fired`` when it rings and ``done`` once stopped or snoozed.
Snoozing makes a new one-off alarm (payload ``snooze_of``) so a recurring rule is never moved.
How spoken times become rings is in ``timing``; wording of the rings is in ``ringing``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from ting.errors import SkillError
from ting.nlu.types import SlotValue
from ting.skills.base import IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.alarms import ringing
from ting.skills.builtin.alarms.select import (
    active_alarms,
    normalize_label,
    occurs_on_day,
    ringing_alarm,
    select_alarms,
)
from ting.skills.builtin.alarms.timing import (
    AlarmTime,
    TimeProblem,
    hour_as_time,
    item_rule,
    resolve,
    resolve_change,
)
from ting.skills.builtin.alarms.words import (
    action,
    describe,
    repeat_fragment,
    spoken_clock,
    spoken_when,
)
from ting.store.records import ItemKind, ItemState, ScheduledItem
from ting.values import DateTimeValue, RecurrencePattern, speak_date


class AlarmSkill(ringing.RingingMixin, Skill):
    name = "alarms"
    kinds = ("alarm",)

    @handles("AlarmSet")
    async def set_alarm(self, request: IntentRequest) -> SkillReply:
        when = self._when(request, "when", "hour")
        repeat: RecurrencePattern | None = request.slot("repeat")
        if when is None:
            return self.ask("when", "ask_time")
        try:
            chosen = resolve(when, repeat, request.now, request.parse_context.timezone)
        except TimeProblem as problem:
            if problem.key == "ask_time":
                return self._ask_time_on_day(request, when)
            return self.reply(problem.key)
        label = _clean_label(request.slot("label"))
        previous = request.previous
        if request.revision and previous is not None and previous.intent == "AlarmSet":
            alarm = await self._get(str(previous.context.get("alarm_id", "")))
            if alarm is not None:
                # "Make it 7:30": the same day, the reading nearest the old time.
                try:
                    moved = resolve_change(when, alarm, request.now, request.parse_context.timezone)
                except TimeProblem as problem:
                    return self.reply(problem.key)
                return await self._move(request, alarm, moved, "changed")
        alarm = ScheduledItem.new(
            kind=ItemKind.ALARM,
            owner_skill=self.name,
            language=request.language,
            created_at=request.now,
            due_at=chosen.due_at,
            label=label,
            recurrence=chosen.recurrence.to_text() if chosen.recurrence else None,
            payload=_payload(request, chosen),
            household_id=request.scope.household_id,
            device_id=request.scope.device_id,
            user_id=request.scope.user_id,
        )
        await self.services.store.add_item(alarm)
        self.services.wake_scheduler()
        key = "set_repeat" if chosen.recurrence else "set"
        return self.reply(
            key + ("_named" if label else ""),
            **self._values(alarm, request),
            actions=(action("alarm.set", alarm),),
            context={"alarm_id": alarm.id},
        )

    @handles("AlarmCancel")
    async def cancel(self, request: IntentRequest) -> SkillReply:
        # "Turn off the alarm" while it rings means stop it, not delete tomorrow's.
        named = any(request.has(name) for name in ("when", "label", "hour"))
        if not named and await ringing_alarm(self.services.store, request.scope, request.now):
            return await self.stop(request)
        alarms = await active_alarms(self.services.store, request.scope)
        found = self._one(alarms, request)
        if isinstance(found, SkillReply):
            return found
        await self._save(replace(found, state=ItemState.CANCELLED), found)
        return self.reply(
            "cancelled",
            alarm=self._describe(found, request),
            actions=(action("alarm.cancel", found),),
        )

    @handles("AlarmCancelAll")
    async def cancel_all(self, request: IntentRequest) -> SkillReply:
        alarms = await active_alarms(self.services.store, request.scope)
        day = self._when(request, "day")
        if day is not None and isinstance(day.value, DateTimeValue) and day.value.has_date:
            date = day.value.when.astimezone(request.parse_context.timezone).date()
            alarms = [a for a in alarms if occurs_on_day(a, date, request.parse_context.timezone)]
        if not alarms:
            return self.reply("no_alarms")
        if not request.confirmed:
            if len(alarms) == 1:
                return self.confirm("confirm_cancel_one", alarm=self._describe(alarms[0], request))
            return self.confirm("confirm_cancel_all", count=len(alarms))
        for alarm in alarms:
            await self._save(replace(alarm, state=ItemState.CANCELLED), alarm)
        actions = tuple(action("alarm.cancel", a) for a in alarms)
        key = "cancelled_all" if len(alarms) > 1 else "cancelled"
        alarm_words = self._describe(alarms[0], request)
        return self.reply(key, count=len(alarms), alarm=alarm_words, actions=actions)

    @handles("AlarmChange")
    async def change(self, request: IntentRequest) -> SkillReply:
        alarms = await active_alarms(self.services.store, request.scope)
        new_time = self._when(request, "new_time", "new_hour")
        if new_time is None:
            found = self._one(alarms, request)
            if isinstance(found, SkillReply):
                return found
            return self.ask("new_time", "ask_new_time", alarm=self._describe(found, request))
        found = self._one(alarms, request)
        if isinstance(found, SkillReply):
            return found
        try:
            chosen = resolve_change(new_time, found, request.now, request.parse_context.timezone)
        except TimeProblem as problem:
            return self.reply(problem.key)
        return await self._move(request, found, chosen, "changed")

    @handles("AlarmList")
    async def list_alarms(self, request: IntentRequest) -> SkillReply:
        alarms = await active_alarms(self.services.store, request.scope)
        zone = request.parse_context.timezone
        day = self._when(request, "day")
        if day is not None and isinstance(day.value, DateTimeValue) and day.value.has_date:
            moment = day.value.when
            alarms = [a for a in alarms if occurs_on_day(a, moment.astimezone(zone).date(), zone)]
            spoken_day = speak_date(
                moment.astimezone(zone), request.language, self._local_now(request)
            )
            if not alarms:
                return self.reply("no_alarms_day", day=spoken_day)
            lines = [self._describe(a, request) for a in alarms]
            key = "list_day_one" if len(alarms) == 1 else "list_day_many"
            return self.reply(key, day=spoken_day, count=len(alarms), alarms=lines)
        if not alarms:
            return self.reply("no_alarms")
        lines = [self._describe(a, request) for a in alarms]
        key = "list_one" if len(alarms) == 1 else "list_many"
        return self.reply(key, count=len(alarms), alarms=lines)

    @handles("AlarmNext")
    async def next_alarm(self, request: IntentRequest) -> SkillReply:
        alarms = [a for a in await active_alarms(self.services.store, request.scope) if a.due_at]
        if not alarms:
            return self.reply("no_alarms")
        soonest = min(alarms, key=lambda a: a.due_at or request.now)
        key = "next_named" if soonest.label else "next"
        return self.reply(key, **self._values(soonest, request), context={"alarm_id": soonest.id})

    # -- helpers -------------------------------------------------------------------------------

    def _one(
        self, alarms: list[ScheduledItem], request: IntentRequest
    ) -> ScheduledItem | SkillReply:
        """The single alarm the request means, or the reply that asks or says why not."""
        if not alarms:
            return self.reply("no_alarms")
        chosen = select_alarms(alarms, request)
        if not chosen:
            return self.reply("not_found", alarms=[self._describe(a, request) for a in alarms])
        if len(chosen) > 1:
            return self.ask(
                "label", "which_alarm", alarms=[self._describe(a, request) for a in chosen]
            )
        return chosen[0]

    async def _move(
        self, request: IntentRequest, alarm: ScheduledItem, chosen: AlarmTime, key: str
    ) -> SkillReply:
        updated = replace(
            alarm,
            state=ItemState.PENDING,
            due_at=chosen.due_at,
            recurrence=chosen.recurrence.to_text() if chosen.recurrence else None,
            payload={**alarm.payload, **_payload(request, chosen)},
        )
        await self._save(updated, alarm)
        return self.reply(
            key,
            alarm=self._describe(alarm, request),
            **self._values(updated, request),
            actions=(action("alarm.change", updated),),
            context={"alarm_id": updated.id},
        )

    def _ask_time_on_day(self, request: IntentRequest, when: SlotValue) -> SkillReply:
        day = when.value.when if isinstance(when.value, DateTimeValue) else request.now
        spoken = speak_date(day.astimezone(request.parse_context.timezone), request.language,
                            self._local_now(request))  # fmt: skip
        return self.ask("when", "ask_time_day", day=spoken)

    def _values(self, alarm: ScheduledItem, request: IntentRequest) -> dict[str, Any]:
        zone = request.parse_context.timezone
        rule = None if alarm.recurrence is None else repeat_fragment_of(alarm, request.language)
        return {
            "when": spoken_when(alarm.due_at or request.now, request.language, request.now, zone),
            "label": alarm.label or "",
            "time": spoken_clock(alarm, request.language, zone),
            "repeat": rule or "",
        }

    def _describe(self, alarm: ScheduledItem, request: IntentRequest) -> Any:
        return describe(
            alarm, request.language, self._local_now(request), request.parse_context.timezone
        )

    @staticmethod
    def _local_now(request: IntentRequest) -> datetime:
        return request.now.astimezone(request.parse_context.timezone)

    @staticmethod
    def _when(request: IntentRequest, name: str, hour_slot: str = "") -> SlotValue | None:
        """A datetime slot, or a bare hour ("for 6") read as that clock time."""
        found = request.slots.get(name)
        hour = request.slots.get(hour_slot) if hour_slot else None
        if found is None and hour is not None:
            return hour_as_time(hour, request.parse_context)
        return found

    async def _get(self, alarm_id: str) -> ScheduledItem | None:
        alarm = await self.services.store.get_item(alarm_id) if alarm_id else None
        if alarm is None or alarm.state not in (ItemState.PENDING, ItemState.PAUSED):
            return None
        return alarm

    async def _save(self, updated: ScheduledItem, original: ScheduledItem) -> None:
        stored = await self.services.store.update_item(updated, expected_version=original.version)
        if stored is None:
            raise SkillError("the alarm changed while I was updating it")
        self.services.wake_scheduler()


def repeat_fragment_of(alarm: ScheduledItem, language: str) -> Any:
    rule = item_rule(alarm)
    return None if rule is None else repeat_fragment(rule, language)


def _payload(request: IntentRequest, chosen: AlarmTime) -> dict[str, Any]:
    local = chosen.due_at.astimezone(request.parse_context.timezone)
    clock = (chosen.recurrence.hour, chosen.recurrence.minute) if chosen.recurrence else (
        local.hour, local.minute)  # fmt: skip
    return {"tz": request.parse_context.timezone.key, "time": f"{clock[0]:02d}:{clock[1]:02d}"}


def _clean_label(label: Any) -> str | None:
    return (normalize_label(str(label)) or None) if label else None
