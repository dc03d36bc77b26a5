"""The SQLite schema as a list of migrations.

``MIGRATIONS[n]`` takes a database from ``PRAGMA user_version`` n to n + 1. Append new scripts;
never edit a released one. Each script runs inside the one transaction that also sets
``user_version``, so a failed migration leaves the database as it was.

Timestamps are TEXT in one fixed-width UTC ISO-8601 form (``2025-01-31T07:00:00.000000Z``):
it sorts like the instants it names, round-trips to the microsecond (so ``fire_item`` can
compare a ``due_at`` for equality) and reads well in the ``sqlite3`` shell.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

_V1 = """
CREATE TABLE scheduled_items (
    id           TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    user_id      TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('timer', 'alarm', 'reminder')),
    owner_skill  TEXT NOT NULL,
    label        TEXT,
    language     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    due_at       TEXT,
    state        TEXT NOT NULL
                 CHECK (state IN ('pending', 'paused', 'fired', 'cancelled', 'done')),
    recurrence   TEXT,
    payload      TEXT NOT NULL DEFAULT '{}',
    fired_at     TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK (state <> 'pending' OR due_at IS NOT NULL)
);
CREATE INDEX scheduled_items_pending ON scheduled_items (due_at) WHERE state = 'pending';
CREATE INDEX scheduled_items_scope ON scheduled_items (household_id, device_id, state);

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id  TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    item_id       TEXT REFERENCES scheduled_items (id) ON DELETE SET NULL,
    kind          TEXT NOT NULL,
    owner_skill   TEXT NOT NULL,
    language      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    fired_at      TEXT NOT NULL,
    late_by_s     REAL NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    delivered_at  TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_until TEXT
);
CREATE INDEX notifications_undelivered ON notifications (household_id, device_id, id)
    WHERE delivered_at IS NULL;
CREATE INDEX notifications_item ON notifications (item_id);

CREATE TABLE history (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    user_id      TEXT,
    at           TEXT NOT NULL,
    language     TEXT NOT NULL,
    text         TEXT NOT NULL,
    intent       TEXT,
    reply        TEXT NOT NULL,
    actions      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX history_scope ON history (household_id, device_id, at);

CREATE TABLE conversations (
    key        TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE lists (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id TEXT NOT NULL,
    name         TEXT NOT NULL CHECK (name <> ''),
    created_at   TEXT NOT NULL,
    UNIQUE (household_id, name)
);

CREATE TABLE list_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    text       TEXT NOT NULL CHECK (trim(text) <> ''),
    checked    INTEGER NOT NULL DEFAULT 0 CHECK (checked IN (0, 1)),
    created_at TEXT NOT NULL,
    position   INTEGER NOT NULL,
    UNIQUE (list_id, position)
);

CREATE TABLE kv (
    household_id TEXT NOT NULL,
    namespace    TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (household_id, namespace, key)
);
"""

MIGRATIONS: tuple[str, ...] = (_V1,)
"""``MIGRATIONS[n]`` upgrades a database from user_version n to n + 1."""


def statements(script: str) -> Iterator[str]:
    """Split a script into complete statements (``executescript`` would commit on its own)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                yield pending.strip()
            pending = ""
    if pending.strip(" \n\t;"):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending!r}")
