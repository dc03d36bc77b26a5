"""A reminder set through the skill rings once, at its time, in the language it was set in —
on a real SQLite store, with the scheduler driven by a manual clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ting.nlu.types import ParseContext, SlotValue
from ting.scheduler import Scheduler
from ting.skills.base import IntentRequest, Scope, SkillServices
from ting.skills.builtin.reminders import ReminderSkill
from ting.skills.loader import load_skill_packages
from ting.skills.responses import ResponseRenderer
from ting.store import ItemState, Notification, SqliteStore
from ting.values import parse_datetime

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 10, 15, tzinfo=ZONE).astimezone(UTC)


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=max(0.0, seconds))


class Speaker:
    """Renders each fired reminder the way the assistant does."""

    def __init__(self, skill: ReminderSkill, clock: ManualClock) -> None:
        texts = load_skill_packages([ReminderSkill])[0].texts
        self.renderer = ResponseRenderer(texts, random.Random(0))
        self.skill, self.clock = skill, clock
        self.said: list[tuple[Notification, str]] = []

    async def __call__(self, notification: Notification) -> None:
        reply = await self.skill.on_notification(notification)
        text = self.renderer.render(
            notification.language, reply.key, reply.values, self.clock.now()
        )
        self.said.append((notification, text))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "ting.db") as opened:
        yield opened


def _request(language: str, **slots: tuple[str, str, object]) -> IntentRequest:
    return IntentRequest(
        intent="ReminderSet",
        slots={
            name: SlotValue(name, kind, value, str(text))
            for name, (kind, text, value) in slots.items()
        },
        language=language,
        parse_context=ParseContext(now=NOW, timezone=ZONE),
        scope=Scope(),
    )


def _when(text: str) -> tuple[str, str, object]:
    return ("datetime", text, parse_datetime(text, ParseContext(now=NOW, timezone=ZONE)))


async def _setup(store: SqliteStore) -> tuple[ReminderSkill, ManualClock, Scheduler, Speaker]:
    skill = ReminderSkill(SkillServices(store, lambda: None, lambda _: {}))
    clock = ManualClock(NOW)
    speaker = Speaker(skill, clock)
    scheduler = Scheduler(
        store, on_fire=speaker, clock=clock, next_occurrence=skill.next_occurrence
    )
    return skill, clock, scheduler, speaker


async def test_a_reminder_fires_once_at_its_time_and_is_worded_right(store: SqliteStore) -> None:
    skill, _, scheduler, speaker = await _setup(store)
    reply = await skill.handle(
        _request("en", task=("text", "call my mom", "call my mom"), when=_when("at 6 pm"))
    )
    assert [a.type for a in reply.actions] == ["reminder.set"]
    due = datetime(2026, 11, 24, 18, 0, tzinfo=ZONE).astimezone(UTC)

    assert await scheduler.fire_due(due - timedelta(seconds=1)) == []
    fired = await scheduler.fire_due(due)
    assert len(fired) == 1 and fired[0].late_by_s == 0
    assert await scheduler.fire_due(due + timedelta(minutes=5)) == []
    assert [text for _, text in speaker.said] == ["Reminder: call your mom."]
    (item,) = await store.list_items("home", "local", states=(ItemState.FIRED,))
    assert item.due_at == due


async def test_a_chinese_reminder_is_read_in_chinese_and_a_late_one_says_so(
    store: SqliteStore,
) -> None:
    skill, clock, scheduler, speaker = await _setup(store)
    await skill.handle(_request("zh", task=("text", "开会", "开会"), when=_when("两小时后")))
    due = NOW + timedelta(hours=2)
    clock.current = due + timedelta(minutes=30)  # Ting was off at the time
    assert len(await scheduler.fire_due(clock.current)) == 1
    ((notification, text),) = speaker.said
    assert notification.due_at == due
    assert text.startswith("抱歉") and text.endswith("提醒：开会。")


async def test_a_recurring_reminder_moves_to_its_next_day(store: SqliteStore) -> None:
    skill, _, scheduler, speaker = await _setup(store)
    await skill.handle(
        _request(
            "en",
            task=("text", "take my pills", "take my pills"),
            when=_when("at 8 am"),
            repeat=("repeat", "every day", "every day"),
        )
    )
    first = datetime(2026, 11, 25, 8, 0, tzinfo=ZONE).astimezone(UTC)
    assert len(await scheduler.fire_due(first)) == 1
    (item,) = await store.list_items("home", "local")
    assert item.state == ItemState.PENDING
    assert item.due_at == datetime(2026, 11, 26, 8, 0, tzinfo=ZONE).astimezone(UTC)
    assert [text for _, text in speaker.said] == ["Reminder: take your pills."]


async def test_bad_input_stores_nothing(store: SqliteStore) -> None:
    skill, _, _, _ = await _setup(store)
    for request in (
        _request("en", task=("text", "call mom", "call mom"), when=_when("yesterday")),
        _request("en", task=("text", "call mom at 25 o'clock", "call mom at 25 o'clock")),
        _request("en", task=("text", "um", "um"), when=_when("at 6 pm")),
    ):
        reply = await skill.handle(request)
        assert reply.actions == ()
        assert reply.key in ("in_past", "bad_time", "ask_task")
    assert await store.list_items("home", "local") == []
