"""Conversions between records and SQLite rows: timestamps, JSON columns, whole records."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from ting.errors import StoreError
from ting.store.records import (
    HistoryEntry,
    ItemKind,
    ItemState,
    ListItem,
    Notification,
    ScheduledItem,
    late_by_s,
)


def db_time(value: datetime) -> str:
    """An aware datetime as fixed-width UTC ISO-8601 text (see ``ting.store.schema``)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise StoreError(f"refusing the naive datetime {value.isoformat()}: use an aware one")
    utc = value.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def db_time_or_none(value: datetime | None) -> str | None:
    return None if value is None else db_time(value)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def parse_time_or_none(text: str | None) -> datetime | None:
    return None if text is None else parse_time(text)


def db_json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the {what} is not JSON-serializable: {exc}") from exc


ITEM_COLUMNS: tuple[str, ...] = (
    "id", "household_id", "device_id", "user_id", "kind", "owner_skill", "label", "language",
    "created_at", "due_at", "state", "recurrence", "payload", "fired_at", "version",
)  # fmt: skip


def item_from_row(row: sqlite3.Row) -> ScheduledItem:
    return ScheduledItem(
        id=row["id"],
        household_id=row["household_id"],
        device_id=row["device_id"],
        user_id=row["user_id"],
        kind=ItemKind(row["kind"]),
        owner_skill=row["owner_skill"],
        label=row["label"],
        language=row["language"],
        created_at=parse_time(row["created_at"]),
        due_at=parse_time_or_none(row["due_at"]),
        state=ItemState(row["state"]),
        recurrence=row["recurrence"],
        payload=json.loads(row["payload"]),
        fired_at=parse_time_or_none(row["fired_at"]),
        version=row["version"],
    )


def item_params(item: ScheduledItem) -> dict[str, Any]:
    """Named parameters for every column of ``scheduled_items`` (``ITEM_COLUMNS``)."""
    return {
        "id": item.id,
        "household_id": item.household_id,
        "device_id": item.device_id,
        "user_id": item.user_id,
        "kind": str(item.kind),
        "owner_skill": item.owner_skill,
        "label": item.label,
        "language": item.language,
        "created_at": db_time(item.created_at),
        "due_at": db_time_or_none(item.due_at),
        "state": str(item.state),
        "recurrence": item.recurrence,
        "payload": db_json(item.payload, "item payload"),
        "fired_at": db_time_or_none(item.fired_at),
        "version": item.version,
    }


def notification_from_row(row: sqlite3.Row) -> Notification:
    return Notification(
        id=row["id"],
        household_id=row["household_id"],
        device_id=row["device_id"],
        item_id=row["item_id"],
        kind=ItemKind(row["kind"]),
        owner_skill=row["owner_skill"],
        language=row["language"],
        created_at=parse_time(row["created_at"]),
        due_at=parse_time(row["due_at"]),
        fired_at=parse_time(row["fired_at"]),
        late_by_s=row["late_by_s"],
        payload=json.loads(row["payload"]),
        delivered_at=parse_time_or_none(row["delivered_at"]),
        attempts=row["attempts"],
    )


def notification_params(
    item: ScheduledItem,
    due_at: datetime,
    fired_at: datetime,
    payload_json: str,
    claim_until: datetime | None,
) -> dict[str, Any]:
    """Named parameters for the notification of one fire of ``item``."""
    return {
        "household_id": item.household_id,
        "device_id": item.device_id,
        "item_id": item.id,
        "kind": str(item.kind),
        "owner_skill": item.owner_skill,
        "language": item.language,
        "created_at": db_time(fired_at),
        "due_at": db_time(due_at),
        "fired_at": db_time(fired_at),
        "late_by_s": late_by_s(due_at, fired_at),
        "payload": payload_json,
        "attempts": 0 if claim_until is None else 1,
        "claimed_until": db_time_or_none(claim_until),
    }


def history_from_row(row: sqlite3.Row) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"],
        household_id=row["household_id"],
        device_id=row["device_id"],
        user_id=row["user_id"],
        at=parse_time(row["at"]),
        language=row["language"],
        text=row["text"],
        intent=row["intent"],
        reply=row["reply"],
        actions=json.loads(row["actions"]),
    )


def list_item_from_row(row: sqlite3.Row) -> ListItem:
    return ListItem(
        id=row["id"],
        text=row["text"],
        checked=bool(row["checked"]),
        created_at=parse_time(row["created_at"]),
        position=row["position"],
    )
