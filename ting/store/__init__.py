"""Storage: scheduled items and their notification outbox, history, conversation state, lists
and per-skill settings.

``base`` holds the protocols, ``records`` the frozen records, ``sqlite`` the one implementation.
Open a store with ``open_store`` and close it with ``async with``::

    async with await open_store(data_dir) as store:
        await store.add_item(ScheduledItem.new(...))
"""

from __future__ import annotations

import os
from pathlib import Path

from ting.errors import ConfigError
from ting.store.base import (
    ConversationStore,
    HistoryStore,
    KeyValueStore,
    ListStore,
    ScheduleStore,
    Store,
)
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
from ting.store.sqlite import DB_FILENAME, SqliteStore

__all__ = [
    "ACTIVE_STATES",
    "DEFAULT_DEVICE",
    "DEFAULT_HOUSEHOLD",
    "ConversationStore",
    "HistoryEntry",
    "HistoryStore",
    "ItemKind",
    "ItemState",
    "KeyValueStore",
    "ListItem",
    "ListStore",
    "NamedList",
    "Notification",
    "ScheduleStore",
    "ScheduledItem",
    "SqliteStore",
    "Store",
    "open_store",
    "sqlite_path",
]

_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def sqlite_path(target: str | os.PathLike[str]) -> Path:
    """The database file that ``target`` names.

    ``target`` is a path or a ``sqlite://`` URL whose path follows the scheme as in a ``file://``
    URL (``sqlite:///var/lib/ting`` is absolute, ``sqlite://data`` relative). A path ending in
    ``.db``, ``.sqlite`` or ``.sqlite3`` is the file itself; any other path is a data directory
    holding ``ting.db``.
    """
    text = os.fspath(target)
    scheme, separator, rest = text.partition("://")
    if separator:
        if scheme.lower() != "sqlite":
            raise ConfigError(
                f"the {scheme!r} store is not available yet; use a data directory, "
                "a path to a .db file or sqlite:///path"
            )
        text = rest
    if not text:
        raise ConfigError("the store location is empty; give a data directory or a .db file")
    path = Path(text).expanduser()
    if path.suffix.lower() in _SQLITE_SUFFIXES and not path.is_dir():
        return path
    return path / DB_FILENAME


async def open_store(target: str | os.PathLike[str], *, busy_timeout_s: float = 5.0) -> Store:
    """Open the store that ``target`` names (see ``sqlite_path``), migrating it when needed.

    A coroutine so that a backend that must connect over the network (PostgreSQL) can follow
    behind the same call; opening SQLite is a local file open and a migration check.

    Raises ``ConfigError`` for a location Ting cannot use and ``StoreError`` when the database
    cannot be opened.
    """
    return SqliteStore(sqlite_path(target), busy_timeout_s=busy_timeout_s)
