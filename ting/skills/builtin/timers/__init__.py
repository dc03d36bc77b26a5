"""Timers: several at once, named, with time left, pause / resume / add time / cancel, and list.

Timers are scheduled items of kind ``timer``; the scheduler rings them, even across restarts.
A timer's payload keeps its full length (``duration_s``) and, while paused, what is left
(``remaining_s``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ting.errors import SkillError
from ting.skills.base import Action, Fragment, IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.timers.select import (
    Selection,
    active_timers,
    normalize_name,
    remaining,
    select_timers,
)
from ting.store.records import ItemKind, ItemState, Notification, ScheduledItem

MAX_TIMER = timedelta(hours=24)


class TimerSkill(Skill):
    name = "timers"
    kinds = ("timer",)

    @handles("TimerStart")
    async def start(self, request: IntentRequest) -> SkillReply:
        duration: timedelta | None = request.slot("duration")
        if duration is None:
            return self.ask("duration", "ask_duration")
        problem = _check_duration(duration)
        if problem:
            return self.reply(problem, duration=duration)
        name = _clean_name(request.slot("name"))
        previous = request.previous
        if request.revision and previous is not None and previous.intent == "TimerStart":
            changed = await self._restart(
                request, str(previous.context.get("timer_id", "")), duration
            )
            if changed is not None:
                return self.reply(
                    "changed",
                    duration=duration,
                    name=changed.label or "",
                    actions=(_action("timer.change", changed),),
                    context={"timer_id": changed.id},
                )
        item = ScheduledItem.new(
            kind=ItemKind.TIMER,
            owner_skill=self.name,
            language=request.language,
            created_at=request.now,
            due_at=request.now + duration,
            label=name,
            payload={"duration_s": duration.total_seconds()},
            household_id=request.scope.household_id,
            device_id=request.scope.device_id,
            user_id=request.scope.user_id,
        )
        await self.services.store.add_item(item)
        self.services.wake_scheduler()
        key = "started_named" if name else "started"
        return self.reply(
            key,
            duration=duration,
            name=name or "",
            actions=(_action("timer.start", item),),
            context={"timer_id": item.id},
        )

    @handles("TimerCancel")
    async def cancel(self, request: IntentRequest) -> SkillReply:
        found = await self._select(request)
        if found.reply is not None:
            return found.reply
        timer = found.timers[0]
        await self._save(replace(timer, state=ItemState.CANCELLED), timer)
        return self.reply(
            "cancelled", **_describe(timer, request.now), actions=(_action("timer.cancel", timer),)
        )

    @handles("TimerCancelAll")
    async def cancel_all(self, request: IntentRequest) -> SkillReply:
        timers = await active_timers(self.services.store, request.scope)
        if not timers:
            return self.reply("no_timers")
        if len(timers) > 1 and not request.confirmed:
            return self.confirm("confirm_cancel_all", count=len(timers))
        for timer in timers:
            await self._save(replace(timer, state=ItemState.CANCELLED), timer)
        actions = tuple(_action("timer.cancel", t) for t in timers)
        return self.reply("cancelled_all", count=len(timers), actions=actions)

    @handles("TimerRemaining")
    async def time_left(self, request: IntentRequest) -> SkillReply:
        found = await self._select(request, several_ok=True)
        if found.reply is not None:
            return found.reply
        if len(found.timers) == 1:
            timer = found.timers[0]
            key = "remaining_paused" if timer.state == ItemState.PAUSED else "remaining"
            return self.reply(key, **_describe(timer, request.now))
        return self.reply("remaining_many", timers=[_summary(t, request.now) for t in found.timers])

    @handles("TimerPause", "TimerPauseInContext")
    async def pause(self, request: IntentRequest) -> SkillReply:
        found = await self._select(request, states=(ItemState.PENDING,))
        if found.reply is not None:
            return found.reply
        timer = found.timers[0]
        left = remaining(timer, request.now)
        payload = {**timer.payload, "remaining_s": left.total_seconds()}
        await self._save(
            replace(timer, state=ItemState.PAUSED, due_at=None, payload=payload), timer
        )
        return self.reply(
            "paused", **_describe(timer, request.now), actions=(_action("timer.pause", timer),)
        )

    @handles("TimerResume", "TimerResumeInContext")
    async def resume(self, request: IntentRequest) -> SkillReply:
        found = await self._select(request, states=(ItemState.PAUSED,))
        if found.reply is not None:
            return found.reply
        timer = found.timers[0]
        left = remaining(timer, request.now)
        await self._save(replace(timer, state=ItemState.PENDING, due_at=request.now + left), timer)
        return self.reply(
            "resumed", **_describe(timer, request.now), actions=(_action("timer.resume", timer),)
        )

    @handles("TimerAdd")
    async def add_time(self, request: IntentRequest) -> SkillReply:
        extra: timedelta | None = request.slot("duration")
        if extra is None:
            return self.ask("duration", "ask_add_duration")
        found = await self._select(request)
        if found.reply is not None:
            return found.reply
        timer = found.timers[0]
        if timer.due_at is not None:
            updated = replace(timer, due_at=timer.due_at + extra)
        else:
            left = remaining(timer, request.now) + extra
            updated = replace(timer, payload={**timer.payload, "remaining_s": left.total_seconds()})
        if remaining(updated, request.now) > MAX_TIMER:
            return self.reply("too_long", duration=MAX_TIMER)
        await self._save(updated, timer)
        return self.reply(
            "added",
            added=extra,
            **_describe(updated, request.now),
            actions=(_action("timer.add", updated),),
        )

    @handles("TimerList")
    async def list_timers(self, request: IntentRequest) -> SkillReply:
        timers = await active_timers(self.services.store, request.scope)
        if not timers:
            return self.reply("no_timers")
        key = "list_one" if len(timers) == 1 else "list_many"
        return self.reply(key, count=len(timers), timers=[_summary(t, request.now) for t in timers])

    async def on_notification(self, notification: Notification) -> SkillReply:
        payload = notification.payload
        duration = timedelta(seconds=float(payload.get("duration_s", 0)))
        name = str(payload.get("label") or payload.get("name") or "")
        if notification.late_by_s >= 60:
            late = timedelta(seconds=round(notification.late_by_s))
            return self.reply("done_late", duration=duration, name=name, late=late)
        return self.reply("done_named" if name else "done", duration=duration, name=name)

    # -- helpers -------------------------------------------------------------------------------

    async def _select(
        self,
        request: IntentRequest,
        *,
        several_ok: bool = False,
        states: tuple[ItemState, ...] = (ItemState.PENDING, ItemState.PAUSED),
    ) -> Selection:
        timers = await active_timers(self.services.store, request.scope, states)
        chosen = select_timers(timers, request)
        if not timers:
            any_timers = await active_timers(self.services.store, request.scope)
            return Selection([], self.reply("none_in_state" if any_timers else "no_timers"))
        if not chosen:
            return Selection([], self.reply("not_found", name=request.slot("name") or ""))
        if len(chosen) > 1 and not several_ok:
            names = [_label(t) for t in chosen]
            return Selection([], self.ask("name", "which_timer", timers=names))
        return Selection(chosen, None)

    async def _save(self, updated: ScheduledItem, original: ScheduledItem) -> None:
        stored = await self.services.store.update_item(updated, expected_version=original.version)
        if stored is None:
            raise SkillError("the timer changed while I was updating it")
        self.services.wake_scheduler()

    async def _restart(
        self, request: IntentRequest, timer_id: str, duration: timedelta
    ) -> ScheduledItem | None:
        timer = await self.services.store.get_item(timer_id) if timer_id else None
        if timer is None or timer.state not in (ItemState.PENDING, ItemState.PAUSED):
            return None
        updated = replace(
            timer,
            state=ItemState.PENDING,
            due_at=request.now + duration,
            payload={**timer.payload, "duration_s": duration.total_seconds()},
        )
        await self._save(updated, timer)
        return updated


def _check_duration(duration: timedelta) -> str | None:
    if duration <= timedelta(0):
        return "invalid_duration"
    if duration > MAX_TIMER:
        return "too_long"
    return None


def _clean_name(name: Any) -> str | None:
    return normalize_name(str(name)) or None if name else None


def _label(timer: ScheduledItem) -> Fragment:
    if timer.label:
        return Fragment("label_named", {"name": timer.label})
    return Fragment("label_unnamed", {"duration": _duration(timer)})


def _duration(timer: ScheduledItem) -> timedelta:
    return timedelta(seconds=float(timer.payload.get("duration_s", 0)))


def _summary(timer: ScheduledItem, now: datetime) -> Fragment:
    key = "summary_paused" if timer.state == ItemState.PAUSED else "summary"
    return Fragment(key, {"label": _label(timer), "left": remaining(timer, now)})


def _describe(timer: ScheduledItem, now: datetime) -> dict[str, Any]:
    return {
        "name": timer.label or "",
        "duration": _duration(timer),
        "left": remaining(timer, now),
        "label": _label(timer),
    }


def _action(kind: str, timer: ScheduledItem) -> Action:
    return Action(
        kind,
        {
            "timer_id": timer.id,
            "name": timer.label,
            "duration_s": timer.payload.get("duration_s"),
            "due_at": timer.due_at.isoformat() if timer.due_at else None,
        },
    )
