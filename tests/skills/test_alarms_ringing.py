"""The alarms skill without the NLU: reading spoken times, ringing, snoozing and stopping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ting.nlu.types import ParseContext, SlotValue
from ting.scheduler import Scheduler
from ting.scheduler.recurrence import next_occurrence
from ting.skills.base import IntentRequest, Scope, SkillReply, SkillServices
from ting.skills.builtin.alarms import AlarmSkill
from ting.skills.builtin.alarms.timing import TimeProblem, resolve
from ting.store import ItemState, Notification, SqliteStore
from ting.values import parse_datetime, parse_duration, parse_recurrence

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 15, tzinfo=SHANGHAI)
SCOPE = Scope(device_id="bedroom")


def ctx(now: datetime = NOW) -> ParseContext:
    return ParseContext(now.astimezone(UTC), SHANGHAI)


def when(text: str, now: datetime = NOW) -> SlotValue:
    return SlotValue("when", "datetime", parse_datetime(text, ctx(now)), text)


@pytest.mark.parametrize(
    ("text", "repeat", "expected"),
    [
        ("tomorrow at 6:30", None, datetime(2026, 11, 25, 6, 30)),
        ("at 7", None, datetime(2026, 11, 24, 19, 0)),
        ("7 am", None, datetime(2026, 11, 25, 7, 0)),
        ("tomorrow at 19:00", None, datetime(2026, 11, 25, 19, 0)),
        ("tomorrow at 7 pm", None, datetime(2026, 11, 25, 19, 0)),
        ("in 20 minutes", None, datetime(2026, 11, 24, 10, 35)),
        ("明天七点", None, datetime(2026, 11, 25, 7, 0)),
        ("明天晚上七点", None, datetime(2026, 11, 25, 19, 0)),
        ("at 7", "every weekday", datetime(2026, 11, 25, 7, 0)),
        ("at 9", "every weekend", datetime(2026, 11, 28, 9, 0)),
        ("早上九点", "每个周末", datetime(2026, 11, 28, 9, 0)),
    ],
)
def test_spoken_time_to_first_ring(text: str, repeat: str | None, expected: datetime) -> None:
    pattern = parse_recurrence(repeat) if repeat else None
    got = resolve(when(text), pattern, NOW.astimezone(UTC), SHANGHAI)
    assert got.due_at.replace(tzinfo=None) == expected
    assert (got.recurrence is None) == (repeat is None)


@pytest.mark.parametrize("text", ["yesterday at 5", "today at 8 am"])
def test_past_times_are_refused(text: str) -> None:
    with pytest.raises(TimeProblem):
        resolve(when(text), None, NOW.astimezone(UTC), SHANGHAI)


@pytest.fixture
async def skill(tmp_path: Path) -> AsyncIterator[AlarmSkill]:
    async with SqliteStore(tmp_path / "ting.db") as store:
        services = SkillServices(store=store, wake_scheduler=lambda: None, skill_texts=lambda _: {})
        yield AlarmSkill(services)


async def run(
    skill: AlarmSkill, intent: str, now: datetime, **slots: SlotValue | None
) -> SkillReply:
    filled = {name: value for name, value in slots.items() if value is not None}
    return await skill.handle(IntentRequest(intent, filled, "en", ctx(now), SCOPE))


async def ring(skill: AlarmSkill, at: datetime) -> list[Notification]:
    fired: list[Notification] = []

    async def on_fire(notification: Notification) -> None:
        fired.append(notification)

    class Clock:
        def now(self) -> datetime:
            return at.astimezone(UTC)

        async def sleep(self, seconds: float) -> None:
            return None

    scheduler = Scheduler(
        skill.services.store, on_fire=on_fire, clock=Clock(), next_occurrence=skill.next_occurrence
    )
    await scheduler.fire_due(at.astimezone(UTC))
    return fired


async def test_ring_snooze_ring_stop(skill: AlarmSkill) -> None:
    label = SlotValue("label", "text", "gym", "gym")
    set_reply = await run(skill, "AlarmSet", NOW, when=when("tomorrow at 6:30"), label=label)
    assert set_reply.key == "set_named"
    due = datetime(2026, 11, 25, 6, 30, tzinfo=SHANGHAI)
    assert await ring(skill, due - timedelta(seconds=1)) == []
    (first,) = await ring(skill, due)
    words = await skill.on_notification(first)
    assert words.key == "ring_named" and words.values["label"] == "gym"

    after = due + timedelta(minutes=2)
    snoozed = await run(skill, "AlarmSnooze", after)
    assert snoozed.key == "snoozed" and snoozed.actions[0].type == "alarm.snooze"
    assert snoozed.values["duration"] == timedelta(minutes=9)
    (again,) = await ring(skill, after + timedelta(minutes=9))
    assert (await skill.on_notification(again)).key == "ring_named"

    stopped = await run(skill, "AlarmStop", after + timedelta(minutes=10))
    assert stopped.key == "stopped" and stopped.actions[0].type == "alarm.stop"
    assert (await run(skill, "AlarmStop", after + timedelta(minutes=11))).key == "nothing_ringing"
    assert (await run(skill, "AlarmList", after + timedelta(minutes=11))).key == "no_alarms"


async def test_snooze_needs_a_recent_ring(skill: AlarmSkill) -> None:
    await run(skill, "AlarmSet", NOW, when=when("tomorrow at 6:30"))
    due = datetime(2026, 11, 25, 6, 30, tzinfo=SHANGHAI)
    await ring(skill, due)
    late = await run(skill, "AlarmSnooze", due + timedelta(minutes=11))
    assert late.key == "nothing_to_snooze" and late.actions == ()
    five = SlotValue("duration", "duration", parse_duration("3 hours"), "3 hours")
    assert (await run(skill, "AlarmSnooze", due, duration=five)).key == "bad_snooze"


async def test_recurring_alarm_stays_after_stop(skill: AlarmSkill) -> None:
    repeat = SlotValue("repeat", "recurrence", parse_recurrence("every day"), "every day")
    await run(skill, "AlarmSet", NOW, when=when("at 7"), repeat=repeat)
    due = datetime(2026, 11, 25, 7, 0, tzinfo=SHANGHAI)
    await ring(skill, due)
    stopped = await run(skill, "AlarmStop", due + timedelta(minutes=1))
    assert stopped.key == "stopped_repeat"
    (alarm,) = await skill.services.store.list_items("home", "bedroom")
    assert alarm.state == ItemState.PENDING
    assert alarm.due_at == (due + timedelta(days=1)).astimezone(UTC)


async def test_late_and_missed_rings(skill: AlarmSkill) -> None:
    await run(skill, "AlarmSet", NOW, when=when("tomorrow at 7 am"))
    await run(skill, "AlarmSet", NOW, when=when("tomorrow at 8 am"))
    due = datetime(2026, 11, 25, 7, 0, tzinfo=SHANGHAI)
    fired = await ring(skill, due + timedelta(hours=1, minutes=12))
    keys = sorted([(await skill.on_notification(n)).key for n in fired])
    assert keys == ["missed", "ring_late"]
    late = next(n for n in fired if n.late_by_s < 3600)
    assert (await skill.on_notification(late)).values["late"] == timedelta(minutes=12)


async def test_cancel_while_ringing_stops_the_ring(skill: AlarmSkill) -> None:
    await run(skill, "AlarmSet", NOW, when=when("tomorrow at 7 am"))
    await run(skill, "AlarmSet", NOW, when=when("tomorrow at 9 am"))
    due = datetime(2026, 11, 25, 7, 0, tzinfo=SHANGHAI)
    await ring(skill, due)
    reply = await run(skill, "AlarmCancel", due + timedelta(minutes=1))
    assert reply.key == "stopped" and reply.actions[0].type == "alarm.stop"
    listed = await run(skill, "AlarmList", due + timedelta(minutes=2))
    assert listed.key == "list_one"


@pytest.mark.parametrize(
    ("repeat", "rings"),
    [
        ("every other monday", [datetime(2026, 11, 30, 7), datetime(2026, 12, 14, 7)]),
        ("every other day", [datetime(2026, 11, 25, 7), datetime(2026, 11, 27, 7)]),
        ("every month on the 1st", [datetime(2026, 12, 1, 7), datetime(2027, 1, 1, 7)]),
    ],
)
def test_intervals_count_from_the_first_ring(repeat: str, rings: list[datetime]) -> None:
    got = resolve(when("7 am"), parse_recurrence(repeat), NOW.astimezone(UTC), SHANGHAI)
    assert got.recurrence is not None
    second = next_occurrence(got.recurrence, got.due_at, SHANGHAI).astimezone(SHANGHAI)
    assert [got.due_at.replace(tzinfo=None), second.replace(tzinfo=None)] == rings
