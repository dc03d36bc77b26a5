"""Named lists and the per-skill key-value table, as statements on an open transaction.

``SqliteStore`` owns the transactions; each function here runs inside the one it is given.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ting.store.records import ListItem, NamedList
from ting.store.sqlite_rows import db_json, db_time, list_item_from_row, parse_time

_LIST_ID = "(SELECT id FROM lists WHERE household_id = ? AND name = ?)"


def _ensure_list(conn: sqlite3.Connection, household_id: str, name: str, at: datetime) -> int:
    conn.execute(
        "INSERT INTO lists (household_id, name, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (household_id, name) DO NOTHING",
        (household_id, name, db_time(at)),
    )
    list_id: int = conn.execute(
        "SELECT id FROM lists WHERE household_id = ? AND name = ?", (household_id, name)
    ).fetchone()[0]
    return list_id


def add_items(
    conn: sqlite3.Connection, household_id: str, name: str, texts: Sequence[str], at: datetime
) -> list[ListItem]:
    list_id = _ensure_list(conn, household_id, name, at)
    (last,) = conn.execute(
        "SELECT coalesce(max(position), 0) FROM list_items WHERE list_id = ?", (list_id,)
    ).fetchone()
    created = db_time(at)
    ids = [
        conn.execute(
            "INSERT INTO list_items (list_id, text, checked, created_at, position) "
            "VALUES (?, ?, 0, ?, ?)",
            (list_id, text, created, last + offset),
        ).lastrowid
        for offset, text in enumerate(texts, start=1)
    ]
    rows = conn.execute(
        f"SELECT * FROM list_items WHERE id IN ({', '.join('?' * len(ids))}) ORDER BY position",
        ids,
    ).fetchall()
    return [list_item_from_row(row) for row in rows]


def get_list(conn: sqlite3.Connection, household_id: str, name: str) -> NamedList | None:
    found = conn.execute(
        "SELECT id, created_at FROM lists WHERE household_id = ? AND name = ?",
        (household_id, name),
    ).fetchone()
    if found is None:
        return None
    rows = conn.execute(
        "SELECT * FROM list_items WHERE list_id = ? ORDER BY position", (found["id"],)
    ).fetchall()
    return NamedList(
        household_id=household_id,
        name=name,
        created_at=parse_time(found["created_at"]),
        items=tuple(list_item_from_row(row) for row in rows),
    )


def list_names(conn: sqlite3.Connection, household_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM lists WHERE household_id = ? ORDER BY name", (household_id,)
    )
    return [row[0] for row in rows]


def remove_items(
    conn: sqlite3.Connection, household_id: str, name: str, item_ids: Sequence[int]
) -> int:
    query = (
        f"DELETE FROM list_items WHERE list_id = {_LIST_ID} "
        f"AND id IN ({', '.join('?' * len(item_ids))})"
    )
    return conn.execute(query, (household_id, name, *item_ids)).rowcount


def check_item(
    conn: sqlite3.Connection, household_id: str, name: str, item_id: int, checked: bool
) -> bool:
    cursor = conn.execute(
        f"UPDATE list_items SET checked = ? WHERE list_id = {_LIST_ID} AND id = ?",
        (int(checked), household_id, name, item_id),
    )
    return cursor.rowcount > 0


def clear(conn: sqlite3.Connection, household_id: str, name: str, checked_only: bool) -> int:
    query = f"DELETE FROM list_items WHERE list_id = {_LIST_ID}"
    if checked_only:
        query += " AND checked = 1"
    return conn.execute(query, (household_id, name)).rowcount


def delete_list(conn: sqlite3.Connection, household_id: str, name: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM lists WHERE household_id = ? AND name = ?", (household_id, name)
    )
    return cursor.rowcount > 0


def kv_get(conn: sqlite3.Connection, household_id: str, namespace: str, key: str) -> Any | None:
    row = conn.execute(
        "SELECT value FROM kv WHERE household_id = ? AND namespace = ? AND key = ?",
        (household_id, namespace, key),
    ).fetchone()
    return None if row is None else json.loads(row[0])


def kv_set(
    conn: sqlite3.Connection, household_id: str, namespace: str, key: str, value: Any
) -> None:
    conn.execute(
        "INSERT INTO kv (household_id, namespace, key, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (household_id, namespace, key) DO UPDATE SET value = excluded.value",
        (household_id, namespace, key, db_json(value, f"value of {namespace}.{key}")),
    )


def kv_delete(conn: sqlite3.Connection, household_id: str, namespace: str, key: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM kv WHERE household_id = ? AND namespace = ? AND key = ?",
        (household_id, namespace, key),
    )
    return cursor.rowcount > 0
