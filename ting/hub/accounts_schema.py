"""The accounts database (``<data_dir>/accounts.db``): its migrations and its connection.

Accounts live in their own SQLite file, apart from the core store (``ting.db``): the core store
holds a household's timers, lists and history and may move to PostgreSQL; the accounts file
holds secrets (password hashes, token digests) and is backed up and permissioned on its own.

The file gets the same settings and transaction discipline as the core store (WAL,
``synchronous=FULL``, ``BEGIN IMMEDIATE`` writes; see ``ting.store.sqlite_db``), and the same
migration rule: ``MIGRATIONS[n]`` takes ``PRAGMA user_version`` n to n + 1, append, never edit.
Timestamps are the core store's fixed-width UTC ISO-8601 text (``ting.store.schema``).

Secrets are never stored in the clear: sessions, devices and pairings keep the SHA-256 of their
token (``ting.hub.passwords.token_digest``). The one exception is ``pairings.access_token``: a
device's first access token waits there, after approval, until the device's next poll collects
it (setting the column to NULL); an uncollected one is cleared by the first pairing call after
the pairing expires (at most 15 minutes after it started), or when the device is revoked or
re-keyed.
"""

from __future__ import annotations

import logging

from ting.errors import StoreError
from ting.store.schema import statements
from ting.store.sqlite_db import SqliteDatabase

logger = logging.getLogger(__name__)

ACCOUNTS_DB_FILENAME = "accounts.db"
"""The accounts database file inside a data directory."""

DEFAULT_TENANT = "default"
"""The tenant (device maker) that households belong to unless told otherwise."""

APPLICATION_ID = 0x54414343
"""``PRAGMA application_id`` of an accounts file ("TACC"), so the core store's file is refused."""

_V1 = """
CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    created_at TEXT NOT NULL
);
INSERT INTO tenants (id, name, created_at)
    VALUES ('default', 'Default', strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z');

CREATE TABLE households (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL CHECK (name <> ''),
    created_at TEXT NOT NULL
);
CREATE INDEX households_tenant ON households (tenant_id, created_at);

CREATE TABLE members (
    id            TEXT PRIMARY KEY,
    household_id  TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email = lower(email)),
    display_name  TEXT NOT NULL CHECK (display_name <> ''),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX members_household ON members (household_id);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    member_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (name <> ''),
    room         TEXT,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX devices_household ON devices (household_id, created_at);

CREATE TABLE pairings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    device_code_sha256 TEXT NOT NULL UNIQUE,
    user_code          TEXT NOT NULL UNIQUE CHECK (length(user_code) = 8),
    name               TEXT NOT NULL CHECK (name <> ''),
    room               TEXT,
    created_at         TEXT NOT NULL,
    expires_at         TEXT NOT NULL,
    interval_s         INTEGER NOT NULL CHECK (interval_s > 0),
    last_poll_at       TEXT,
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'approved', 'denied', 'consumed')),
    decided_by         TEXT REFERENCES members (id) ON DELETE SET NULL,
    device_id          TEXT REFERENCES devices (id) ON DELETE SET NULL,
    access_token       TEXT,
    CHECK (status = 'approved' OR access_token IS NULL),
    CHECK (status NOT IN ('approved', 'consumed') OR device_id IS NOT NULL
           OR access_token IS NULL)
);
CREATE INDEX pairings_expiry ON pairings (expires_at);
CREATE INDEX pairings_device ON pairings (device_id) WHERE device_id IS NOT NULL;

CREATE TABLE pairing_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    at        TEXT NOT NULL
);
CREATE INDEX pairing_failures_member ON pairing_failures (member_id, at);
"""

MIGRATIONS: tuple[str, ...] = (_V1,)
"""``MIGRATIONS[n]`` upgrades an accounts database from user_version n to n + 1."""


class AccountsDatabase(SqliteDatabase):
    """A connection to the accounts file: the core store's settings, these migrations.

    Only the migration step differs from ``SqliteDatabase`` (which migrates with the core
    store's scripts); connecting, ``write`` and ``read`` are inherited unchanged.
    """

    def _migrate(self) -> None:
        if self.schema_version() == len(MIGRATIONS) and self._application_id() == APPLICATION_ID:
            return  # the usual case: no write lock needed
        with self.write("migrate the accounts schema") as conn:
            # Read again under the lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if application_id != APPLICATION_ID and (version, application_id) != (0, 0):
                raise StoreError(
                    f"{self.path} is not a Ting accounts database (is it the core store's "
                    f"{self.path.name}?); choose another file"
                )
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the accounts database {self.path} has schema version {version}, newer "
                    f"than this Ting knows ({len(MIGRATIONS)}); upgrade Ting"
                )
            for number in range(version, len(MIGRATIONS)):
                logger.info("migrating %s to accounts schema version %d", self.path, number + 1)
                for statement in statements(MIGRATIONS[number]):
                    conn.execute(statement)
            if version < len(MIGRATIONS):
                # PRAGMA takes no parameters; the value is an int of ours.
                conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _application_id(self) -> int:
        with self.read("read the application id") as conn:
            application_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
            return application_id
