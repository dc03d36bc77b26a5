"""One SQLite connection with Ting's settings, its migrations and its transaction discipline.

Settings, and why:

- ``journal_mode=WAL``: readers never wait for the writer, and several processes (the hub, a
  CLI, a second scheduler) can share the file.
- ``synchronous=FULL``: every commit is fsynced before it returns, so a committed fire survives
  a power cut as well as a ``kill -9``. NORMAL would only lose the last commits on power loss,
  but for the schedule "the alarm was recorded as fired" must never be forgotten; writes are a
  handful per minute, so the fsync costs nothing that matters.
- ``busy_timeout``: a writer waits for another process's transaction instead of failing.
- ``foreign_keys=ON``: list items go with their list, notifications outlive their item.

Writes start with ``BEGIN IMMEDIATE`` so the write lock is taken up front (a deferred
transaction that upgrades later can fail with SQLITE_BUSY without waiting).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ting.errors import StoreError
from ting.store.schema import MIGRATIONS, statements

logger = logging.getLogger(__name__)


def _use_wal(conn: sqlite3.Connection, path: Path, busy_timeout_s: float) -> None:
    """Switch the file to WAL (a no-op once done), retrying while other processes hold it.

    SQLite returns "database is locked" for this switch without calling the busy handler when
    several connections open a new file at once, so the wait is done here.
    """
    deadline = time.monotonic() + busy_timeout_s
    pause_s = 0.005
    while True:
        try:
            mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause_s > deadline:
                raise
            time.sleep(pause_s)
            pause_s = min(pause_s * 2, 0.1)
    if mode.lower() != "wal":
        raise StoreError(f"the database {path} cannot use WAL mode (it is in {mode})")


class SqliteDatabase:
    """A connection to one database file, migrated to the latest schema on open."""

    def __init__(self, path: Path, *, busy_timeout_s: float = 5.0) -> None:
        self.path = path
        self._conn = self._connect(path, busy_timeout_s)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    @staticmethod
    def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit BEGINs; every transaction is explicit below.
            # timeout is SQLite's busy_timeout.
            conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        try:
            conn.row_factory = sqlite3.Row
            _use_wal(conn, path, busy_timeout_s)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot set up the database {path}: {exc}") from exc
        return conn

    def _migrate(self) -> None:
        if self.schema_version() == len(MIGRATIONS):
            return  # the usual case: no write lock needed
        with self.write("migrate the schema") as conn:
            # Read again under the lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the database {self.path} has schema version {version}, newer than this "
                    f"Ting knows ({len(MIGRATIONS)}); upgrade Ting"
                )
            for number in range(version, len(MIGRATIONS)):
                logger.info("migrating %s to schema version %d", self.path, number + 1)
                for statement in statements(MIGRATIONS[number]):
                    conn.execute(statement)
            if version < len(MIGRATIONS):
                # PRAGMA takes no parameters; the value is an int of ours.
                conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def schema_version(self) -> int:
        with self.read("read the schema version") as conn:
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            return version

    @contextmanager
    def write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: commit when the block ends, roll back on any error.

        ``what`` completes "could not …" in the ``StoreError`` message. The block must not
        ``await``: the connection is shared by the whole event loop.
        """
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"could not {what}: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"could not {what} (nothing was changed): {exc}") from exc
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def read(self, what: str) -> Iterator[sqlite3.Connection]:
        """A read transaction: every statement in the block sees the same snapshot."""
        conn = self._conn
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"could not {what}: {exc}") from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                logger.exception("rollback failed on %s", self.path)

    def close(self) -> None:
        self._conn.close()
