"""The scheduler loop in-process, on a real SQLite file and the real clock with short timers."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ting.scheduler import Scheduler, SystemClock
from ting.store import ItemKind, ItemState, Notification, ScheduledItem, SqliteStore

CLOCK = SystemClock()
TOLERANCE_S = 0.2


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "ting.db") as opened:
        yield opened


class Recorder:
    """An ``on_fire`` that keeps what it got and when; fails the first ``fail_first`` calls."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: asyncio.Queue[tuple[datetime, Notification]] = asyncio.Queue()
        self.calls = 0
        self._fail_first = fail_first

    async def __call__(self, notification: Notification) -> None:
        self.calls += 1
        if self.calls <= self._fail_first:
            raise RuntimeError("speaker unplugged")
        self.received.put_nowait((CLOCK.now(), notification))

    async def next(self, timeout_s: float = 3.0) -> tuple[datetime, Notification]:
        return await asyncio.wait_for(self.received.get(), timeout_s)


def item_due(due_at: datetime | None, **changes: object) -> ScheduledItem:
    item = ScheduledItem.new(
        kind=ItemKind.TIMER,
        owner_skill="timers",
        language="en",
        created_at=CLOCK.now(),
        due_at=due_at,
        payload={"duration_s": 1},
    )
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


def every_2s(item: ScheduledItem, after: datetime) -> datetime | None:
    """A test recurrence rule: every two seconds from the item's due time."""
    assert item.due_at is not None and item.recurrence == "every 2s"
    step = timedelta(seconds=2)
    return item.due_at + step * ((after - item.due_at) // step + 1)


@pytest.fixture
async def running() -> AsyncIterator[list[asyncio.Task[None]]]:
    """Schedulers started by a test, cancelled (and awaited) when it ends."""
    tasks: list[asyncio.Task[None]] = []
    yield tasks
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def start(scheduler: Scheduler, running: list[asyncio.Task[None]]) -> None:
    running.append(asyncio.create_task(scheduler.run()))


async def test_timers_fire_on_time_in_order(
    store: SqliteStore, running: list[asyncio.Task[None]]
) -> None:
    now = CLOCK.now()
    items = [item_due(now + timedelta(seconds=s)) for s in (0.9, 0.3, 0.6)]
    for item in items:
        await store.add_item(item)
    recorder = Recorder()
    start(Scheduler(store, on_fire=recorder), running)

    got = [await recorder.next() for _ in items]

    assert [n.item_id for _, n in got] == [items[1].id, items[2].id, items[0].id]
    for at, notification in got:
        assert abs((at - notification.due_at).total_seconds()) < TOLERANCE_S
        assert notification.late_by_s < TOLERANCE_S
    await asyncio.sleep(0.05)  # let mark_delivered of the last one commit
    assert await store.undelivered_notifications() == []
    assert {i.state for i in await store.list_items("home", states=list(ItemState))} == {
        ItemState.FIRED
    }


async def test_wake_picks_up_a_new_earlier_item(
    store: SqliteStore, running: list[asyncio.Task[None]]
) -> None:
    await store.add_item(item_due(CLOCK.now() + timedelta(seconds=20)))
    recorder = Recorder()
    scheduler = Scheduler(store, on_fire=recorder)
    start(scheduler, running)
    await asyncio.sleep(0.1)  # the loop now sleeps towards the item 20 s away

    soon = item_due(CLOCK.now() + timedelta(seconds=0.3))
    await store.add_item(soon)
    scheduler.wake()

    at, notification = await recorder.next(timeout_s=1.5)
    assert notification.item_id == soon.id
    assert abs((at - notification.due_at).total_seconds()) < TOLERANCE_S


async def test_items_missed_while_down_fire_at_once_and_say_how_late(
    store: SqliteStore, running: list[asyncio.Task[None]]
) -> None:
    now = CLOCK.now()
    missed = [item_due(now - timedelta(seconds=s)) for s in (60, 10)]
    for item in missed:
        await store.add_item(item)
    recorder = Recorder()
    start(Scheduler(store, on_fire=recorder), running)

    got = [await recorder.next(timeout_s=1.0) for _ in missed]

    assert [n.item_id for _, n in got] == [missed[0].id, missed[1].id]
    for (_, notification), expected_late in zip(got, (60, 10), strict=True):
        assert notification.late_by_s == pytest.approx(expected_late, abs=TOLERANCE_S)
        assert notification.payload["late_by_s"] == notification.late_by_s
        assert notification.payload["due_at"] == notification.due_at.isoformat()
        assert notification.payload["duration_s"] == 1


async def test_a_recurring_item_fires_once_for_the_missed_period_then_moves_on(
    store: SqliteStore,
) -> None:
    now = CLOCK.now()
    item = item_due(now - timedelta(seconds=10.5), recurrence="every 2s")
    await store.add_item(item)
    recorder = Recorder()
    scheduler = Scheduler(store, on_fire=recorder, next_occurrence=every_2s)

    (fired,) = await scheduler.fire_due(now)

    assert fired.late_by_s == pytest.approx(10.5)
    assert fired.payload["recurrence"] == "every 2s"
    moved = await store.get_item(item.id)
    assert moved is not None and moved.due_at is not None
    assert moved.state == ItemState.PENDING
    assert moved.due_at == now + timedelta(seconds=1.5)  # the first occurrence after now
    assert await scheduler.fire_due(now) == []
    assert [n.id for _, n in [await recorder.next()]] == [fired.id]
    (again,) = await scheduler.fire_due(moved.due_at)
    assert again.late_by_s == 0.0


@pytest.mark.parametrize(
    ("rule", "message"),
    [(None, "no next_occurrence"), ("boom", "failed"), ("past", "not in the future")],
)
async def test_a_recurrence_that_cannot_continue_fires_a_last_time(
    store: SqliteStore, caplog: pytest.LogCaptureFixture, rule: str | None, message: str
) -> None:
    now = CLOCK.now()

    def broken(item: ScheduledItem, after: datetime) -> datetime | None:
        if item.recurrence == "boom":
            raise ValueError("bad rule")
        return after - timedelta(seconds=1)

    item = item_due(now, recurrence=rule or "daily")
    await store.add_item(item)
    scheduler = Scheduler(store, on_fire=Recorder(), next_occurrence=broken if rule else None)
    with caplog.at_level(logging.WARNING, logger="ting.scheduler"):
        assert len(await scheduler.fire_due(now)) == 1
    assert message in caplog.text
    fired = await store.get_item(item.id)
    assert fired is not None and fired.state == ItemState.FIRED


async def test_a_failing_on_fire_is_logged_retried_and_does_not_stop_the_loop(
    store: SqliteStore, running: list[asyncio.Task[None]], caplog: pytest.LogCaptureFixture
) -> None:
    now = CLOCK.now()
    first = item_due(now + timedelta(seconds=0.1))
    second = item_due(now + timedelta(seconds=0.6))
    for item in (first, second):
        await store.add_item(item)
    recorder = Recorder(fail_first=2)
    scheduler = Scheduler(store, on_fire=recorder, retry_base_s=0.1)
    with caplog.at_level(logging.ERROR, logger="ting.scheduler"):
        start(scheduler, running)
        at, retried = await recorder.next()
        _, later = await recorder.next()

    assert retried.item_id == first.id
    assert retried.attempts == 3  # failed twice, delivered on the third claim
    assert (at - retried.due_at).total_seconds() == pytest.approx(0.3, abs=TOLERANCE_S)
    assert later.item_id == second.id
    failures = [r.getMessage() for r in caplog.records if r.exc_info is not None]
    assert len(failures) == 2
    assert all("retrying" in message for message in failures)
    await asyncio.sleep(0.05)
    assert await store.undelivered_notifications() == []


async def test_run_first_delivers_what_an_earlier_process_left(
    store: SqliteStore, running: list[asyncio.Task[None]]
) -> None:
    now = CLOCK.now()
    left = item_due(now - timedelta(seconds=30))
    await store.add_item(left)
    orphan = await store.fire_item(left.id, due_at=now - timedelta(seconds=30), fired_at=now)
    assert orphan is not None
    fresh = item_due(now)
    await store.add_item(fresh)
    recorder = Recorder()
    start(Scheduler(store, on_fire=recorder), running)

    _, first = await recorder.next()
    _, second = await recorder.next()
    assert (first.id, second.item_id) == (orphan.id, fresh.id)
    assert recorder.received.empty()


async def test_cancelling_mid_delivery_lets_the_next_run_deliver_at_once(
    store: SqliteStore,
) -> None:
    item = item_due(CLOCK.now())
    await store.add_item(item)
    entered = asyncio.Event()

    async def hang(notification: Notification) -> None:
        entered.set()
        await asyncio.sleep(60)

    task = asyncio.create_task(Scheduler(store, on_fire=hang).run())
    await asyncio.wait_for(entered.wait(), 1.0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    (pending,) = await store.claim_notifications(CLOCK.now(), CLOCK.now())
    assert pending.item_id == item.id


async def test_two_schedulers_on_one_database_fire_each_item_once(
    tmp_path: Path, store: SqliteStore
) -> None:
    now = CLOCK.now()
    items = [item_due(now - timedelta(seconds=n)) for n in range(20)]
    for item in items:
        await store.add_item(item)
    first, second = Recorder(), Recorder()
    async with SqliteStore(tmp_path / "ting.db") as other:
        fired = await asyncio.gather(
            Scheduler(store, on_fire=first).fire_due(now),
            Scheduler(other, on_fire=second).fire_due(now),
        )
    ids = [n.item_id for batch in fired for n in batch]
    assert sorted(ids) == sorted(item.id for item in items)  # type: ignore[type-var]
    assert first.received.qsize() + second.received.qsize() == len(items)


async def test_a_locked_database_is_logged_and_retried_without_ending_the_loop(
    tmp_path: Path, running: list[asyncio.Task[None]], caplog: pytest.LogCaptureFixture
) -> None:
    async with SqliteStore(tmp_path / "ting.db", busy_timeout_s=0.02) as store:
        item = item_due(CLOCK.now())
        await store.add_item(item)
        blocker = sqlite3.connect(tmp_path / "ting.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        recorder = Recorder()
        with caplog.at_level(logging.ERROR, logger="ting.scheduler"):
            start(Scheduler(store, on_fire=recorder, retry_base_s=0.05), running)
            await asyncio.sleep(0.3)
            blocker.execute("COMMIT")
            blocker.close()
            _, notification = await recorder.next(timeout_s=1.0)

        assert notification.item_id == item.id
        assert "scheduler pass failed" in caplog.text
        assert "database is locked" in caplog.text
