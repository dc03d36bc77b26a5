"""Alarms set through the skill ring exactly once per occurrence, across DST changes and
restarts: the real scheduler and a real SQLite store, driven by a manual clock."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ting.nlu.types import ParseContext, SlotValue
from ting.scheduler import Scheduler
from ting.scheduler.recurrence import Recurrence, next_occurrence
from ting.skills.base import IntentRequest, Scope, SkillServices
from ting.skills.builtin.alarms import AlarmSkill
from ting.store import Notification, SqliteStore
from ting.values import parse_datetime, parse_recurrence

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney")
STARTS = {
    # A few days before a DST change in each zone (2026).
    "America/New_York": (datetime(2026, 3, 5, 9, 0), datetime(2026, 10, 29, 9, 0)),
    "Europe/London": (datetime(2026, 3, 26, 9, 0), datetime(2026, 10, 22, 9, 0)),
    "Australia/Sydney": (datetime(2026, 4, 1, 9, 0), datetime(2026, 10, 1, 9, 0)),
}
REPEATS = ("every day", "every weekday", "every weekend", "every other day",
           "every monday and thursday", None)  # fmt: skip
TIMES = ("1:30 am", "2:30 am", "6:45 am", "7 am", "11:59 pm", "12:00 am")


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


def services(store: SqliteStore) -> SkillServices:
    return SkillServices(store=store, wake_scheduler=lambda: None, skill_texts=lambda _: {})


async def set_alarm(
    skill: AlarmSkill, ctx: ParseContext, when: str, repeat: str | None
) -> tuple[str, str | None]:
    value = parse_datetime(when, ctx)
    assert value is not None
    slots = {"when": SlotValue("when", "datetime", value, when)}
    if repeat is not None:
        pattern = parse_recurrence(repeat)
        slots["repeat"] = SlotValue("repeat", "recurrence", pattern, repeat)
    request = IntentRequest("AlarmSet", slots, "en", ctx, Scope(device_id="bedroom"))
    reply = await skill.handle(request)
    assert reply.key.startswith("set"), reply
    action = reply.actions[0].data
    return str(action["alarm_id"]), action["recurrence"]


async def simulate(
    zone_name: str, start: datetime, alarms: list[tuple[str, str | None]], steps: list[int]
) -> None:
    zone = ZoneInfo(zone_name)
    clock = ManualClock(start.replace(tzinfo=zone).astimezone(UTC))
    fired: list[Notification] = []

    async def on_fire(notification: Notification) -> None:
        fired.append(notification)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ting.db"
        async with SqliteStore(path) as store:
            skill = AlarmSkill(services(store))
            ctx = ParseContext(clock.now(), zone)
            created = [await set_alarm(skill, ctx, when, repeat) for when, repeat in alarms]
            first_due = {a.id: a.due_at for a in await store.list_items("home")}
        begin = clock.now()
        for index, minutes in enumerate(steps):
            clock.current += timedelta(minutes=minutes)
            # A restart every few passes: a new store connection and a new scheduler.
            async with SqliteStore(path) as store:
                skill = AlarmSkill(services(store))
                scheduler = Scheduler(
                    store, on_fire=on_fire, clock=clock, next_occurrence=skill.next_occurrence
                )
                for _ in range(1 + index % 2):  # a second pass must fire nothing new
                    await scheduler.fire_due(clock.now())
        end = clock.now()

    for alarm_id, rule_text in created:
        got = [n.due_at for n in fired if n.item_id == alarm_id]
        assert len(got) == len(set(got)), f"an occurrence fired twice: {got}"
        due = first_due[alarm_id]
        assert due is not None
        expected = []
        if rule_text is None:
            expected = [due] if due <= end else []
        else:
            rule = Recurrence.from_text(rule_text)
            while due <= end:
                expected.append(due)
                due = next_occurrence(rule, due, zone)
        assert sorted(got) == expected, (alarm_id, rule_text)
        assert all(begin < d for d in got)


@settings(max_examples=25, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    which=st.integers(0, 1),
    alarms=st.lists(
        st.tuples(st.sampled_from(TIMES), st.sampled_from(REPEATS)), min_size=1, max_size=3
    ),
    # Steps shorter than the shortest gap between two rings (23 hours), so none is merged.
    steps=st.lists(st.integers(1, 12 * 60), min_size=10, max_size=40),
)
def test_alarms_ring_once_per_occurrence(
    zone_name: str, which: int, alarms: list[tuple[str, str | None]], steps: list[int]
) -> None:
    start = STARTS[zone_name][which]
    asyncio.run(simulate(zone_name, start, alarms, steps))
