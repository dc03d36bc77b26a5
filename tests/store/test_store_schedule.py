"""Scheduled items and the notification outbox on a real SQLite file."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ting.errors import StoreError
from ting.store import ItemKind, ItemState, ScheduledItem, SqliteStore, open_store

T0 = datetime(2025, 1, 31, 7, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "ting.db") as opened:
        yield opened


def timer(due_at: datetime | None, **changes: object) -> ScheduledItem:
    item = ScheduledItem.new(
        kind=ItemKind.TIMER,
        owner_skill="timers",
        language="en",
        created_at=T0,
        due_at=due_at,
        label="pasta",
        payload={"duration_s": 300, "名字": "面条"},
    )
    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


async def test_add_and_get_round_trips_every_field(store: SqliteStore) -> None:
    item = timer(T0 + timedelta(minutes=5), user_id="ann", recurrence="daily")
    await store.add_item(item)
    assert await store.get_item(item.id) == item
    assert await store.get_item("missing") is None


async def test_times_come_back_in_utc_whatever_zone_went_in(store: SqliteStore) -> None:
    beijing = timezone(timedelta(hours=8))
    due = datetime(2025, 1, 31, 15, 0, 0, 123456, tzinfo=beijing)
    item = timer(due)
    await store.add_item(item)
    stored = await store.get_item(item.id)
    assert stored is not None and stored.due_at is not None
    assert stored.due_at == due
    assert stored.due_at.tzinfo == UTC
    assert stored.due_at.hour == 7 and stored.due_at.microsecond == 123456


async def test_naive_datetimes_and_unserializable_payloads_are_refused(store: SqliteStore) -> None:
    with pytest.raises(StoreError, match="naive"):
        await store.add_item(timer(datetime(2025, 1, 31, 7, 0)))
    with pytest.raises(StoreError, match="JSON"):
        await store.add_item(timer(T0, payload={"when": T0}))
    assert await store.list_items("home") == []


async def test_a_duplicate_id_is_a_store_error(store: SqliteStore) -> None:
    item = timer(T0)
    await store.add_item(item)
    with pytest.raises(StoreError, match=item.id):
        await store.add_item(dataclasses.replace(item, label="other"))
    assert await store.get_item(item.id) == item


async def test_pending_needs_a_due_time(store: SqliteStore) -> None:
    with pytest.raises(StoreError, match="nothing was changed"):
        await store.add_item(timer(None, state=ItemState.PENDING))


async def test_update_is_optimistic(store: SqliteStore) -> None:
    item = timer(T0)
    await store.add_item(item)
    paused = dataclasses.replace(item, state=ItemState.PAUSED, due_at=None, label="tea")
    updated = await store.update_item(paused, expected_version=1)
    assert updated == dataclasses.replace(paused, version=2)
    # A writer still holding version 1 loses and learns it, nothing is written.
    stale = dataclasses.replace(item, label="stale")
    assert await store.update_item(stale, expected_version=1) is None
    assert await store.get_item(item.id) == updated
    assert await store.update_item(timer(T0), expected_version=1) is None  # never added


async def test_delete_item(store: SqliteStore) -> None:
    item = timer(T0)
    await store.add_item(item)
    assert await store.delete_item(item.id) is True
    assert await store.delete_item(item.id) is False
    assert await store.get_item(item.id) is None


async def test_list_items_filters_by_scope_kind_and_state(store: SqliteStore) -> None:
    late = timer(T0 + timedelta(hours=2))
    soon = timer(T0 + timedelta(hours=1))
    paused = timer(None)
    alarm = dataclasses.replace(timer(T0), kind=ItemKind.ALARM, device_id="kitchen")
    done = dataclasses.replace(timer(T0), state=ItemState.DONE)
    neighbour = dataclasses.replace(timer(T0), household_id="next-door")
    for item in (late, soon, paused, alarm, done, neighbour):
        await store.add_item(item)

    assert [i.id for i in await store.list_items("home")] == [alarm.id, soon.id, late.id, paused.id]
    assert [i.id for i in await store.list_items("home", kind=ItemKind.TIMER)] == [
        soon.id,
        late.id,
        paused.id,
    ]
    assert [i.id for i in await store.list_items("home", device_id="kitchen")] == [alarm.id]
    assert [i.id for i in await store.list_items("home", states=[ItemState.DONE])] == [done.id]
    assert [i.id for i in await store.list_items("next-door")] == [neighbour.id]


async def test_next_due_and_due_items_see_only_pending(store: SqliteStore) -> None:
    assert await store.next_due() is None
    first = timer(T0 + timedelta(seconds=10))
    second = timer(T0 + timedelta(seconds=20))
    cancelled = dataclasses.replace(timer(T0), state=ItemState.CANCELLED)
    away = dataclasses.replace(timer(T0 + timedelta(seconds=5)), household_id="away")
    for item in (second, first, cancelled, timer(None), away):
        await store.add_item(item)

    assert await store.next_due() == T0 + timedelta(seconds=5)
    assert await store.next_due("home") == T0 + timedelta(seconds=10)
    assert await store.due_items(T0) == []
    due = await store.due_items(T0 + timedelta(seconds=20), household_id="home")
    assert [i.id for i in due] == [first.id, second.id]
    assert len(await store.due_items(T0 + timedelta(seconds=20), limit=1)) == 1


async def test_fire_item_marks_fired_and_records_one_notification(store: SqliteStore) -> None:
    due = T0 + timedelta(seconds=10)
    item = timer(due)
    await store.add_item(item)
    fired_at = due + timedelta(seconds=90)

    notification = await store.fire_item(
        item.id, due_at=due, fired_at=fired_at, payload={"late_by_s": 90.0}
    )

    assert notification is not None
    assert (notification.item_id, notification.kind, notification.owner_skill) == (
        item.id,
        ItemKind.TIMER,
        "timers",
    )
    assert (notification.due_at, notification.fired_at, notification.late_by_s) == (
        due,
        fired_at,
        90.0,
    )
    assert notification.payload == {"late_by_s": 90.0}
    assert notification.delivered_at is None
    stored = await store.get_item(item.id)
    assert stored is not None
    assert (stored.state, stored.fired_at, stored.version) == (ItemState.FIRED, fired_at, 2)
    # Fired once: a second attempt, from this or any process, records nothing.
    assert await store.fire_item(item.id, due_at=due, fired_at=fired_at) is None
    assert await store.undelivered_notifications() == [notification]


async def test_fire_item_moves_a_recurring_item_forward(store: SqliteStore) -> None:
    item = timer(T0, recurrence="daily")
    await store.add_item(item)
    tomorrow = T0 + timedelta(days=1)
    notification = await store.fire_item(item.id, due_at=T0, fired_at=T0, next_due_at=tomorrow)
    assert notification is not None and notification.late_by_s == 0.0
    stored = await store.get_item(item.id)
    assert stored is not None
    assert (stored.state, stored.due_at, stored.fired_at) == (ItemState.PENDING, tomorrow, T0)
    # The old occurrence cannot fire again; the new one can.
    assert await store.fire_item(item.id, due_at=T0, fired_at=T0) is None
    assert await store.fire_item(item.id, due_at=tomorrow, fired_at=tomorrow) is not None
    with pytest.raises(StoreError, match="not after"):
        await store.fire_item(item.id, due_at=tomorrow, fired_at=tomorrow, next_due_at=T0)


async def test_fire_item_skips_items_that_are_not_pending_at_that_time(store: SqliteStore) -> None:
    cancelled = dataclasses.replace(timer(T0), state=ItemState.CANCELLED)
    moved = timer(T0 + timedelta(minutes=1))
    await store.add_item(cancelled)
    await store.add_item(moved)
    assert await store.fire_item(cancelled.id, due_at=T0, fired_at=T0) is None
    assert await store.fire_item(moved.id, due_at=T0, fired_at=T0) is None
    assert await store.fire_item("missing", due_at=T0, fired_at=T0) is None
    assert await store.undelivered_notifications() == []


async def test_claims_keep_two_deliverers_apart(store: SqliteStore) -> None:
    first, second = timer(T0), dataclasses.replace(timer(T0), device_id="kitchen")
    for item in (first, second):
        await store.add_item(item)
    held = await store.fire_item(
        first.id, due_at=T0, fired_at=T0, claim_until=T0 + timedelta(seconds=60)
    )
    free = await store.fire_item(second.id, due_at=T0, fired_at=T0)
    assert held is not None and free is not None
    assert (held.attempts, free.attempts) == (1, 0)
    assert await store.next_claimable_at() == T0

    claimed = await store.claim_notifications(T0, T0 + timedelta(seconds=60))
    assert [(n.id, n.attempts) for n in claimed] == [(free.id, 1)]
    assert await store.claim_notifications(T0, T0 + timedelta(seconds=60)) == []
    assert await store.next_claimable_at() == T0 + timedelta(seconds=60)

    # A failed delivery gives the claim back for a later retry.
    assert await store.release_notification(free.id, T0 + timedelta(seconds=5)) is True
    assert await store.next_claimable_at("home") == T0 + timedelta(seconds=5)
    later = T0 + timedelta(seconds=5)
    assert [n.id for n in await store.claim_notifications(later, later, device_id="kitchen")] == [
        free.id
    ]
    # An expired claim (its holder died) can be taken over.
    expired = T0 + timedelta(seconds=61)
    retaken = await store.claim_notifications(expired, expired + timedelta(seconds=60))
    assert [(n.id, n.attempts) for n in retaken] == [(held.id, 2), (free.id, 3)]


async def test_mark_delivered(store: SqliteStore) -> None:
    item = timer(T0)
    await store.add_item(item)
    notification = await store.fire_item(item.id, due_at=T0, fired_at=T0)
    assert notification is not None
    assert await store.undelivered_notifications("home", "local") == [notification]
    assert await store.undelivered_notifications("away") == []

    at = T0 + timedelta(seconds=1)
    assert await store.mark_delivered(notification.id, at) is True
    assert await store.mark_delivered(notification.id, at) is False
    assert await store.mark_delivered(12345, at) is False
    assert await store.undelivered_notifications() == []
    assert await store.next_claimable_at() is None
    assert await store.release_notification(notification.id, at) is False
    assert await store.claim_notifications(at, at) == []


async def test_notifications_outlive_a_deleted_item(store: SqliteStore) -> None:
    item = timer(T0)
    await store.add_item(item)
    notification = await store.fire_item(item.id, due_at=T0, fired_at=T0)
    assert notification is not None
    await store.delete_item(item.id)
    (left,) = await store.undelivered_notifications()
    assert left == dataclasses.replace(notification, item_id=None)


async def test_open_store_shares_the_file(tmp_path: Path) -> None:
    item = timer(T0)
    writer, reader = await open_store(tmp_path), await open_store(f"sqlite://{tmp_path}")
    async with writer, reader:
        await writer.add_item(item)
        assert await reader.get_item(item.id) == item
