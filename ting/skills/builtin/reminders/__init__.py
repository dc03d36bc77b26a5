"""Reminders: "remind me to call mom at 6 pm", 两小时后提醒我关火, every Monday, list, delete, move.

A reminder is a scheduled item of kind ``reminder``. Its label and ``payload["task"]`` hold the
task in the second person (see ``task``), ``payload["link"]`` the English joining word and
``payload["zone"]`` the time zone it was set in, so a recurring one keeps its wall-clock time.
A recurring reminder stores its ``Recurrence`` text in ``ScheduledItem.recurrence``. When it
fires it is read out in the language it was set in ("Reminder: call your mom." / 提醒：开会。).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ting.errors import SkillError
from ting.nlu.types import ParseContext
from ting.scheduler.recurrence import next_occurrence as rule_next
from ting.skills.base import (
    Action,
    Expectation,
    IntentRequest,
    Skill,
    SkillReply,
    handles,
)
from ting.skills.builtin.reminders import timing
from ting.skills.builtin.reminders.select import active_reminders, by_time, rule_of, select
from ting.skills.builtin.reminders.task import Task, bad_clock, clean_task
from ting.skills.builtin.reminders.words import (
    describe,
    item_what,
    repeat_words,
    spoken_clock,
    spoken_when,
    what,
)
from ting.store.records import ItemKind, ItemState, Notification, ScheduledItem
from ting.values import DateTimeValue, speak_date

MAX_LISTED = 5
LATE_AFTER = timedelta(minutes=1)


class ReminderSkill(Skill):
    name = "reminders"
    kinds = ("reminder",)

    @handles("ReminderSet")
    async def set_reminder(self, request: IntentRequest) -> SkillReply:
        said_task, link = _said_task(request)
        clock = bad_clock(said_task) or bad_clock(f"at {request.slot('clock')}")
        if clock:
            return self.reply("bad_time", clock=clock)
        task = clean_task(said_task, request.language, link)
        if task is None:
            return self.ask("task", "ask_task")
        ctx = request.parse_context
        when = timing.combine(_said(request, "when"), _said(request, "time"), ctx)
        pattern, part = timing.read_pattern(request.slot("repeat"))
        if request.has("repeat") and pattern is None:
            return self.reply("bad_repeat", repeat=request.slots["repeat"].text)
        if pattern is not None:
            plan = timing.recurring(pattern, part, when, ctx)
        else:
            plan = timing.one_off(when, ctx)
        if plan.problem is not None:
            return self._problem(plan, request)
        assert plan.due is not None
        previous = request.previous
        if request.revision and previous is not None and previous.intent == "ReminderSet":
            current = await self._get(previous.context.get("reminder_id"))
            if current is not None:
                return await self._move(request, current, plan, "changed")
        item = ScheduledItem.new(
            kind=ItemKind.REMINDER,
            owner_skill=self.name,
            language=request.language,
            created_at=request.now,
            due_at=plan.due,
            label=task.text,
            recurrence=plan.rule.to_text() if plan.rule else None,
            payload={"task": task.text, "link": task.link, "zone": ctx.timezone.key},
            household_id=request.scope.household_id,
            device_id=request.scope.device_id,
            user_id=request.scope.user_id,
        )
        await self.services.store.add_item(item)
        self.services.wake_scheduler()
        return self._confirmation("set", request, item, task, timing.offset_of(when))

    @handles("ReminderList")
    async def list_reminders(self, request: IntentRequest) -> SkillReply:
        ctx = request.parse_context
        items = await active_reminders(self.services.store, request.scope)
        when = _said(request, "when")
        day = ""
        if when is not None:
            items = by_time(items, when, ctx.timezone)
            day = spoken_day(when, request)
        if not items:
            return self.reply("no_reminders_on" if day else "no_reminders", day=day)
        shown = [describe(i, request.language, ctx.now, ctx.timezone) for i in items[:MAX_LISTED]]
        key = "list_one" if len(items) == 1 else "list_many"
        if len(items) > MAX_LISTED:
            key = "list_more"
        context = {"reminder_id": items[0].id} if len(items) == 1 else {}
        return self.reply(
            key + ("_on" if day else ""),
            count=len(items),
            shown=len(shown),
            items=shown,
            day=day,
            context=context,
        )

    @handles("ReminderDelete")
    async def delete(self, request: IntentRequest) -> SkillReply:
        found = await self._choose(request)
        if isinstance(found, SkillReply):
            return found
        await self._save(replace(found, state=ItemState.CANCELLED), found)
        return self.reply(
            "deleted", what=item_what(found), task=found.label or "",
            actions=(_action("reminder.delete", found),),
        )  # fmt: skip

    @handles("ReminderDeleteAll")
    async def delete_all(self, request: IntentRequest) -> SkillReply:
        items = await active_reminders(self.services.store, request.scope)
        when = _said(request, "when")
        day = spoken_day(when, request) if when is not None else ""
        if when is not None:
            items = by_time(items, when, request.parse_context.timezone)
        if not items:
            return self.reply("no_reminders_on" if day else "no_reminders", day=day)
        if not request.confirmed:
            return self.confirm("confirm_delete_all" + ("_on" if day else ""), count=len(items),
                                day=day)  # fmt: skip
        for item in items:
            await self._save(replace(item, state=ItemState.CANCELLED), item)
        actions = tuple(_action("reminder.delete", i) for i in items)
        return self.reply("deleted_all", count=len(items), actions=actions)

    @handles("ReminderMove")
    async def move(self, request: IntentRequest) -> SkillReply:
        found = await self._choose(request, time_picks=False)
        if isinstance(found, SkillReply):
            return found
        when = _said(request, "when")
        shift: timedelta | None = request.slot("shift")
        if when is None and shift is None:
            return _ask_with(
                "when", "ask_move_time", {"reminder_id": found.id}, what=item_what(found)
            )
        ctx = request.parse_context
        if shift is not None and found.due_at is not None:
            plan = timing.Timing(due=found.due_at + shift)
        elif found.recurrence and when is not None:
            plan = _moved_rule(found, when, ctx)
        else:
            assert when is not None
            plan = timing.moved(found.due_at, when, ctx)
        if plan.problem is not None:
            return self._problem(plan, request)
        return await self._move(request, found, plan, "moved")

    async def on_notification(self, notification: Notification) -> SkillReply:
        payload = notification.payload
        task = str(payload.get("task") or payload.get("label") or "")
        if notification.late_by_s >= LATE_AFTER.total_seconds():
            zone = timing.zone_of(payload)
            now = notification.fired_at
            due = spoken_when(notification.due_at, notification.language, now, zone)
            return self.reply("due_late", task=task, due=due)
        return self.reply("due", task=task)

    def next_occurrence(self, item: ScheduledItem, after: datetime) -> datetime | None:
        rule = rule_of(item)
        if rule is None:
            return None
        return rule_next(rule, after, timing.zone_of(item.payload))

    # -- helpers -------------------------------------------------------------------------------

    def _problem(self, plan: timing.Timing, request: IntentRequest) -> SkillReply:
        if plan.problem == "ask_time_on_day" and plan.day is not None:
            day = spoken_day(timing.Said(_day_value(plan.day), ""), request)
            return self.ask("time", "ask_time_on_day", day=day)
        if plan.problem == "ask_time":
            return self.ask("time", "ask_time")
        return self.reply(plan.problem or "in_past")

    def _confirmation(
        self,
        key: str,
        request: IntentRequest,
        item: ScheduledItem,
        task: Task,
        offset: timedelta | None,
    ) -> SkillReply:
        ctx = request.parse_context
        assert item.due_at is not None
        values: dict[str, Any] = {
            "what": what(task.text, task.link),
            "task": task.text,
            "when": spoken_when(item.due_at, request.language, ctx.now, ctx.timezone),
            "time": spoken_clock(item.due_at, request.language, ctx.timezone),
        }
        rule = rule_of(item)
        if rule is not None:
            key, values["repeat"] = key + "_repeat", repeat_words(rule, request.language)
        elif offset is not None and offset < timedelta(hours=24):
            key, values["delay"] = key + "_in", offset
        action = "reminder.move" if key.startswith("changed") else "reminder.set"
        return self.reply(
            key, actions=(_action(action, item),), context={"reminder_id": item.id}, **values
        )

    async def _move(
        self, request: IntentRequest, item: ScheduledItem, plan: timing.Timing, key: str
    ) -> SkillReply:
        assert plan.due is not None
        updated = replace(
            item,
            due_at=plan.due,
            recurrence=plan.rule.to_text() if plan.rule else item.recurrence,
            payload={**item.payload, "zone": request.parse_context.timezone.key},
        )
        stored = await self._save(updated, item)
        task = Task(
            str(item.payload.get("task") or item.label), str(item.payload.get("link", "to"))
        )
        if key == "changed":
            return self._confirmation("changed", request, stored, task, None)
        ctx = request.parse_context
        values = {
            "what": item_what(item),
            "task": task.text,
            "when": spoken_when(plan.due, request.language, ctx.now, ctx.timezone),
        }
        action = _action("reminder.move", stored)
        return self.reply("moved", actions=(action,), context={"reminder_id": item.id}, **values)

    async def _choose(
        self, request: IntentRequest, *, time_picks: bool = True
    ) -> ScheduledItem | SkillReply:
        """The one reminder meant, or the reply that says why there is none (or asks which)."""
        items = await active_reminders(self.services.store, request.scope)
        if not items:
            return self.reply("no_reminders", day="")
        previous = request.previous
        current = previous.context.get("reminder_id") if previous is not None else None
        said_task = request.slot("task")
        when = _said(request, "when") if time_picks else None
        pointed = current if request.has("ref") or len(items) == 1 else None
        chosen = select(items, said=said_task, when=when, current=pointed,
                        zone=request.parse_context.timezone)  # fmt: skip
        if not chosen:
            return self.reply("not_found", said=said_task or "")
        if len(chosen) > 1:
            ctx = request.parse_context
            listed = [describe(i, request.language, ctx.now, ctx.timezone) for i in chosen[:4]]
            return self.ask("task", "which_reminder", count=len(chosen), items=listed)
        return chosen[0]

    async def _get(self, reminder_id: Any) -> ScheduledItem | None:
        if not isinstance(reminder_id, str):
            return None
        item = await self.services.store.get_item(reminder_id)
        return item if item is not None and item.state == ItemState.PENDING else None

    async def _save(self, updated: ScheduledItem, original: ScheduledItem) -> ScheduledItem:
        stored = await self.services.store.update_item(updated, expected_version=original.version)
        if stored is None:
            raise SkillError("the reminder changed while I was updating it")
        self.services.wake_scheduler()
        return stored


def _said_task(request: IntentRequest) -> tuple[str | None, str]:
    """The words of the task and how they join "remind you": to (task), about (topic), that
    (fact)."""
    for slot, link in (("task", "to"), ("topic", "about"), ("fact", "that")):
        if request.slot(slot):
            return str(request.slot(slot)), link
    return None, "to"


def _said(request: IntentRequest, name: str) -> timing.Said | None:
    slot = request.slots.get(name)
    return timing.said(slot.value, slot.text) if slot is not None else None


def _day_value(day: datetime) -> DateTimeValue:
    return DateTimeValue(day, True, False, "day", True)


def spoken_day(when: timing.Said | None, request: IntentRequest) -> str:
    if when is None:
        return ""
    local_now = request.parse_context.local_now()
    return speak_date(when.value.when.astimezone(local_now.tzinfo), request.language, local_now)


def _moved_rule(item: ScheduledItem, when: timing.Said, ctx: ParseContext) -> timing.Timing:
    rule = rule_of(item)
    assert rule is not None
    clock = timing.recurring_clock(when, ctx)
    if clock is None:
        return timing.Timing(problem="ask_time")
    moved = replace(rule, hour=clock[0], minute=clock[1])
    return timing.Timing(due=rule_next(moved, ctx.now, ctx.timezone), rule=moved)


def _ask_with(slot: str, key: str, context: dict[str, Any], **values: Any) -> SkillReply:
    """A question for a slot that also remembers which reminder it is about."""
    expect = Expectation(kind="slot", prompt_key=key, slot=slot, values=values)
    return SkillReply(key=key, values=values, expect=expect, context=context)


def _action(kind: str, item: ScheduledItem) -> Action:
    return Action(
        kind,
        {
            "reminder_id": item.id,
            "task": item.label,
            "due_at": item.due_at.isoformat() if item.due_at else None,
            "recurrence": item.recurrence,
        },
    )
