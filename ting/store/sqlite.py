"""``SqliteStore``: the ``Store`` protocol on one SQLite file (``<data_dir>/ting.db``).

The methods are ``async`` to honour the protocol, but run their queries directly on the event
loop instead of in a thread: each is a handful of indexed statements on a local file, well under
a millisecond, while a thread hop costs more than the query, and keeping every transaction free
of ``await`` means no other coroutine can interleave on the shared connection. Two waits can
block the loop and are accepted: the fsync of a commit (``synchronous=FULL``, a few ms on flash)
and, while another process holds the write lock, up to ``busy_timeout_s``. A backend with
network round trips (PostgreSQL) would await a real async driver instead.

Connection settings, migrations and the transaction rules live in ``ting.store.sqlite_db``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ting.errors import StoreError
from ting.store import sqlite_lists
from ting.store.records import (
    ACTIVE_STATES,
    DEFAULT_DEVICE,
    DEFAULT_HOUSEHOLD,
    HistoryEntry,
    ItemKind,
    ItemState,
    ListItem,
    NamedList,
    Notification,
    ScheduledItem,
)
from ting.store.sqlite_db import SqliteDatabase
from ting.store.sqlite_rows import (
    ITEM_COLUMNS,
    db_json,
    db_time,
    history_from_row,
    item_from_row,
    item_params,
    notification_from_row,
    notification_params,
    parse_time_or_none,
)

DB_FILENAME = "ting.db"
"""The database file inside a data directory."""

_INSERT_ITEM = (
    f"INSERT INTO scheduled_items ({', '.join(ITEM_COLUMNS)}) "
    f"VALUES ({', '.join(':' + column for column in ITEM_COLUMNS)})"
)
_UPDATE_ITEM = """
    UPDATE scheduled_items
    SET user_id = :user_id, label = :label, language = :language, due_at = :due_at,
        state = :state, recurrence = :recurrence, payload = :payload, fired_at = :fired_at,
        version = version + 1
    WHERE id = :id AND version = :expected_version
"""
_INSERT_NOTIFICATION = """
    INSERT INTO notifications (household_id, device_id, item_id, kind, owner_skill, language,
        created_at, due_at, fired_at, late_by_s, payload, attempts, claimed_until)
    VALUES (:household_id, :device_id, :item_id, :kind, :owner_skill, :language,
        :created_at, :due_at, :fired_at, :late_by_s, :payload, :attempts, :claimed_until)
"""
_UNDELIVERED = "delivered_at IS NULL"
_CLAIMABLE = "delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)"


def _scope(household_id: str | None, device_id: str | None) -> tuple[str, list[Any]]:
    """A WHERE fragment (never empty) and its parameters for the optional scope filters."""
    clauses = ["1"]
    params: list[Any] = []
    if household_id is not None:
        clauses.append("household_id = ?")
        params.append(household_id)
    if device_id is not None:
        clauses.append("device_id = ?")
        params.append(device_id)
    return " AND ".join(clauses), params


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class SqliteStore:
    """Everything Ting persists, in one SQLite file shared safely by several processes."""

    def __init__(self, path: Path, *, busy_timeout_s: float = 5.0) -> None:
        """Open (creating and migrating when needed) the database file at ``path``."""
        self._db = SqliteDatabase(path, busy_timeout_s=busy_timeout_s)

    @property
    def path(self) -> Path:
        return self._db.path

    def schema_version(self) -> int:
        return self._db.schema_version()

    async def close(self) -> None:
        self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- scheduled items -------------------------------------------------------------------

    async def add_item(self, item: ScheduledItem) -> None:
        params = item_params(item)
        with self._db.write(f"add the {item.kind} {item.id}") as conn:
            conn.execute(_INSERT_ITEM, params)

    async def get_item(self, item_id: str) -> ScheduledItem | None:
        with self._db.read(f"read the item {item_id}") as conn:
            row = conn.execute("SELECT * FROM scheduled_items WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else item_from_row(row)

    async def update_item(
        self, item: ScheduledItem, *, expected_version: int
    ) -> ScheduledItem | None:
        params = item_params(item) | {"expected_version": expected_version}
        with self._db.write(f"update the {item.kind} {item.id}") as conn:
            if conn.execute(_UPDATE_ITEM, params).rowcount == 0:
                return None
            row = conn.execute("SELECT * FROM scheduled_items WHERE id = ?", (item.id,)).fetchone()
        return item_from_row(row)

    async def delete_item(self, item_id: str) -> bool:
        with self._db.write(f"delete the item {item_id}") as conn:
            cursor = conn.execute("DELETE FROM scheduled_items WHERE id = ?", (item_id,))
        return cursor.rowcount > 0

    async def list_items(
        self,
        household_id: str,
        device_id: str | None = None,
        kind: ItemKind | None = None,
        states: Sequence[ItemState] = ACTIVE_STATES,
    ) -> list[ScheduledItem]:
        where, params = _scope(household_id, device_id)
        if kind is not None:
            where += " AND kind = ?"
            params.append(str(kind))
        where += f" AND state IN ({_marks(len(states))})"
        params.extend(str(state) for state in states)
        query = (
            f"SELECT * FROM scheduled_items WHERE {where} "
            "ORDER BY due_at IS NULL, due_at, created_at, id"
        )
        with self._db.read("list scheduled items") as conn:
            rows = conn.execute(query, params).fetchall()
        return [item_from_row(row) for row in rows]

    async def next_due(self, household_id: str | None = None) -> datetime | None:
        where, params = _scope(household_id, None)
        query = f"SELECT min(due_at) FROM scheduled_items WHERE state = 'pending' AND {where}"
        with self._db.read("find the next due item") as conn:
            (due,) = conn.execute(query, params).fetchone()
        return parse_time_or_none(due)

    async def due_items(
        self, now: datetime, household_id: str | None = None, limit: int = 100
    ) -> list[ScheduledItem]:
        where, params = _scope(household_id, None)
        query = (
            "SELECT * FROM scheduled_items WHERE state = 'pending' AND due_at <= ? "
            f"AND {where} ORDER BY due_at, created_at, id LIMIT ?"
        )
        with self._db.read("find due items") as conn:
            rows = conn.execute(query, [db_time(now), *params, limit]).fetchall()
        return [item_from_row(row) for row in rows]

    async def fire_item(
        self,
        item_id: str,
        *,
        due_at: datetime,
        fired_at: datetime,
        next_due_at: datetime | None = None,
        payload: dict[str, Any] | None = None,
        claim_until: datetime | None = None,
    ) -> Notification | None:
        if next_due_at is not None and next_due_at <= due_at:
            raise StoreError(f"cannot fire {item_id}: its next due time is not after this one")
        payload_json = db_json(payload or {}, "notification payload")
        with self._db.write(f"fire the item {item_id}") as conn:
            row = conn.execute(
                "SELECT * FROM scheduled_items WHERE id = ? AND state = 'pending' AND due_at = ?",
                (item_id, db_time(due_at)),
            ).fetchone()
            if row is None:
                return None
            item = item_from_row(row)
            conn.execute(
                "UPDATE scheduled_items SET state = ?, due_at = ?, fired_at = ?, "
                "version = version + 1 WHERE id = ?",
                (
                    ItemState.FIRED if next_due_at is None else ItemState.PENDING,
                    db_time(next_due_at or due_at),
                    db_time(fired_at),
                    item_id,
                ),
            )
            params = notification_params(item, due_at, fired_at, payload_json, claim_until)
            cursor = conn.execute(_INSERT_NOTIFICATION, params)
            return self._notification(conn, cursor.lastrowid)

    # -- notifications (the outbox) ----------------------------------------------------------

    @staticmethod
    def _notification(conn: sqlite3.Connection, notification_id: int | None) -> Notification:
        row = conn.execute(
            "SELECT * FROM notifications WHERE id = ?", (notification_id,)
        ).fetchone()
        return notification_from_row(row)

    async def claim_notifications(
        self,
        now: datetime,
        until: datetime,
        household_id: str | None = None,
        device_id: str | None = None,
        limit: int = 100,
    ) -> list[Notification]:
        where, params = _scope(household_id, device_id)
        query = f"SELECT id FROM notifications WHERE {_CLAIMABLE} AND {where} ORDER BY id LIMIT ?"
        with self._db.write("claim notifications") as conn:
            ids = [row[0] for row in conn.execute(query, [db_time(now), *params, limit])]
            conn.executemany(
                "UPDATE notifications SET claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
                [(db_time(until), notification_id) for notification_id in ids],
            )
            return [self._notification(conn, notification_id) for notification_id in ids]

    async def release_notification(self, notification_id: int, retry_at: datetime) -> bool:
        with self._db.write(f"release the notification {notification_id}") as conn:
            cursor = conn.execute(
                f"UPDATE notifications SET claimed_until = ? WHERE id = ? AND {_UNDELIVERED}",
                (db_time(retry_at), notification_id),
            )
        return cursor.rowcount > 0

    async def next_claimable_at(self, household_id: str | None = None) -> datetime | None:
        where, params = _scope(household_id, None)
        query = (
            "SELECT min(coalesce(claimed_until, created_at)) FROM notifications "
            f"WHERE {_UNDELIVERED} AND {where}"
        )
        with self._db.read("find the next notification to deliver") as conn:
            (at,) = conn.execute(query, params).fetchone()
        return parse_time_or_none(at)

    async def undelivered_notifications(
        self, household_id: str | None = None, device_id: str | None = None
    ) -> list[Notification]:
        where, params = _scope(household_id, device_id)
        query = f"SELECT * FROM notifications WHERE {_UNDELIVERED} AND {where} ORDER BY id"
        with self._db.read("list undelivered notifications") as conn:
            rows = conn.execute(query, params).fetchall()
        return [notification_from_row(row) for row in rows]

    async def mark_delivered(self, notification_id: int, at: datetime) -> bool:
        with self._db.write(f"mark the notification {notification_id} delivered") as conn:
            cursor = conn.execute(
                "UPDATE notifications SET delivered_at = ?, claimed_until = NULL "
                f"WHERE id = ? AND {_UNDELIVERED}",
                (db_time(at), notification_id),
            )
        return cursor.rowcount > 0

    # -- history -------------------------------------------------------------------------

    async def add_history(
        self,
        *,
        at: datetime,
        language: str,
        text: str,
        reply: str,
        intent: str | None = None,
        actions: Sequence[dict[str, Any]] = (),
        household_id: str = DEFAULT_HOUSEHOLD,
        device_id: str = DEFAULT_DEVICE,
        user_id: str | None = None,
    ) -> HistoryEntry:
        params = _history_params(
            household_id, device_id, user_id, at, language, text, intent, reply, actions
        )
        with self._db.write("add a history entry") as conn:
            return _insert_history(conn, params)

    async def record_turn(
        self,
        conversation_key: str,
        state: dict[str, Any] | None,
        *,
        at: datetime,
        language: str,
        text: str,
        reply: str,
        intent: str | None = None,
        actions: Sequence[dict[str, Any]] = (),
        household_id: str = DEFAULT_HOUSEHOLD,
        device_id: str = DEFAULT_DEVICE,
        user_id: str | None = None,
    ) -> HistoryEntry:
        params = _history_params(
            household_id, device_id, user_id, at, language, text, intent, reply, actions
        )
        saved = None if state is None else db_json(state, "conversation state")
        with self._db.write("record a turn") as conn:
            if saved is None:
                conn.execute("DELETE FROM conversations WHERE key = ?", (conversation_key,))
            else:
                _upsert_conversation(conn, (conversation_key, saved, db_time(at)))
            return _insert_history(conn, params)

    async def history(
        self, household_id: str, device_id: str | None = None, limit: int = 50
    ) -> list[HistoryEntry]:
        where, params = _scope(household_id, device_id)
        query = f"SELECT * FROM history WHERE {where} ORDER BY at DESC, id DESC LIMIT ?"
        with self._db.read("read the history") as conn:
            rows = conn.execute(query, [*params, limit]).fetchall()
        return [history_from_row(row) for row in rows]

    async def delete_history(
        self, household_id: str, device_id: str | None = None, before: datetime | None = None
    ) -> int:
        where, params = _scope(household_id, device_id)
        if before is not None:
            where += " AND at < ?"
            params.append(db_time(before))
        with self._db.write("delete history") as conn:
            cursor = conn.execute(f"DELETE FROM history WHERE {where}", params)
        return cursor.rowcount

    # -- conversation state --------------------------------------------------------------

    async def load_conversation(self, key: str) -> dict[str, Any] | None:
        with self._db.read(f"load the conversation {key!r}") as conn:
            row = conn.execute("SELECT state FROM conversations WHERE key = ?", (key,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    async def save_conversation(
        self, key: str, state: dict[str, Any], updated_at: datetime
    ) -> None:
        params = (key, db_json(state, "conversation state"), db_time(updated_at))
        with self._db.write(f"save the conversation {key!r}") as conn:
            _upsert_conversation(conn, params)

    async def delete_conversation(self, key: str) -> bool:
        with self._db.write(f"delete the conversation {key!r}") as conn:
            cursor = conn.execute("DELETE FROM conversations WHERE key = ?", (key,))
        return cursor.rowcount > 0

    async def delete_conversations_before(self, before: datetime) -> int:
        with self._db.write("delete old conversations") as conn:
            cursor = conn.execute(
                "DELETE FROM conversations WHERE updated_at < ?", (db_time(before),)
            )
        return cursor.rowcount

    # -- lists ---------------------------------------------------------------------------

    async def add_list_items(
        self, household_id: str, name: str, texts: Sequence[str], at: datetime
    ) -> list[ListItem]:
        with self._db.write(f"add to the list {name!r}") as conn:
            return sqlite_lists.add_items(conn, household_id, name, texts, at)

    async def get_list(self, household_id: str, name: str) -> NamedList | None:
        with self._db.read(f"read the list {name!r}") as conn:
            return sqlite_lists.get_list(conn, household_id, name)

    async def list_names(self, household_id: str) -> list[str]:
        with self._db.read("read the list names") as conn:
            return sqlite_lists.list_names(conn, household_id)

    async def remove_list_items(self, household_id: str, name: str, item_ids: Sequence[int]) -> int:
        with self._db.write(f"remove items from the list {name!r}") as conn:
            return sqlite_lists.remove_items(conn, household_id, name, item_ids)

    async def check_list_item(
        self, household_id: str, name: str, item_id: int, checked: bool = True
    ) -> bool:
        with self._db.write(f"check an item of the list {name!r}") as conn:
            return sqlite_lists.check_item(conn, household_id, name, item_id, checked)

    async def clear_list(self, household_id: str, name: str, checked_only: bool = False) -> int:
        with self._db.write(f"clear the list {name!r}") as conn:
            return sqlite_lists.clear(conn, household_id, name, checked_only)

    async def delete_list(self, household_id: str, name: str) -> bool:
        with self._db.write(f"delete the list {name!r}") as conn:
            return sqlite_lists.delete_list(conn, household_id, name)

    # -- per-skill key-value -------------------------------------------------------------

    async def kv_get(
        self, namespace: str, key: str, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> Any | None:
        with self._db.read(f"read the setting {namespace}.{key}") as conn:
            return sqlite_lists.kv_get(conn, household_id, namespace, key)

    async def kv_set(
        self, namespace: str, key: str, value: Any, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> None:
        with self._db.write(f"save the setting {namespace}.{key}") as conn:
            sqlite_lists.kv_set(conn, household_id, namespace, key, value)

    async def kv_delete(
        self, namespace: str, key: str, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> bool:
        with self._db.write(f"delete the setting {namespace}.{key}") as conn:
            return sqlite_lists.kv_delete(conn, household_id, namespace, key)


def _history_params(
    household_id: str,
    device_id: str,
    user_id: str | None,
    at: datetime,
    language: str,
    text: str,
    intent: str | None,
    reply: str,
    actions: Sequence[dict[str, Any]],
) -> tuple[Any, ...]:
    """The row of the history table, in its column order (shared by both writers)."""
    return (
        household_id, device_id, user_id, db_time(at), language, text, intent, reply,
        db_json(list(actions), "history actions"),
    )  # fmt: skip


def _insert_history(conn: sqlite3.Connection, params: tuple[Any, ...]) -> HistoryEntry:
    cursor = conn.execute(
        "INSERT INTO history (household_id, device_id, user_id, at, language, text, "
        "intent, reply, actions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params,
    )
    row = conn.execute("SELECT * FROM history WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return history_from_row(row)


def _upsert_conversation(conn: sqlite3.Connection, params: tuple[str, str, str]) -> None:
    conn.execute(
        "INSERT INTO conversations (key, state, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        params,
    )
