"""The storage contract: small async protocols that every backend implements.

``Store`` is the union of the per-domain protocols below; code that needs only one domain (the
scheduler needs ``ScheduleStore``) asks for that one, so a test or a later backend can provide
just it. Today there is one implementation, ``ting.store.sqlite.SqliteStore``; a PostgreSQL one
can follow behind the same protocols.

Rules every implementation keeps:

- Every write is one transaction; when it fails, nothing of it is left and ``StoreError`` is
  raised with a message that says what was being done.
- Timestamps go in as timezone-aware datetimes (naive ones are refused with ``StoreError``) and
  come out in UTC.
- Queries are scoped by ``household_id`` and, where given, ``device_id``. The few methods whose
  ``household_id`` may be None serve the hub-wide scheduler and mean "every household".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

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


class ScheduleStore(Protocol):
    """Scheduled items and the notification outbox they fire into."""

    async def add_item(self, item: ScheduledItem) -> None:
        """Insert a new item; ``StoreError`` when its id exists already."""

    async def get_item(self, item_id: str) -> ScheduledItem | None: ...

    async def update_item(
        self, item: ScheduledItem, *, expected_version: int
    ) -> ScheduledItem | None:
        """Write ``item``'s mutable fields (user, label, language, due_at, state, recurrence,
        payload, fired_at) if the stored version is still ``expected_version``.

        Returns the stored item (its version bumped), or None on a conflict: the item changed
        since it was read (it fired, another request edited it) or is gone. A conflict is an
        ordinary outcome, not an error: re-read and decide again.
        """

    async def delete_item(self, item_id: str) -> bool:
        """Remove an item for good (its notifications stay, with ``item_id`` None)."""

    async def list_items(
        self,
        household_id: str,
        device_id: str | None = None,
        kind: ItemKind | None = None,
        states: Sequence[ItemState] = ACTIVE_STATES,
    ) -> list[ScheduledItem]:
        """Items in the given states, soonest due first (paused ones last)."""

    async def next_due(self, household_id: str | None = None) -> datetime | None:
        """The earliest ``due_at`` of a pending item, or None when nothing is pending."""

    async def due_items(
        self, now: datetime, household_id: str | None = None, limit: int = 100
    ) -> list[ScheduledItem]:
        """Pending items with ``due_at <= now``, soonest first."""

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
        """Record one fire, exactly once, in one transaction.

        Only if the item is still ``pending`` with this ``due_at`` (the occurrence the caller
        read): mark it ``fired`` (or, when ``next_due_at`` is given, move it there and keep it
        pending) and insert its ``Notification`` carrying ``payload``. ``claim_until`` reserves
        the notification's delivery for the caller until then (see ``claim_notifications``).

        Returns None when the item was not pending with that ``due_at``: another process or
        loop fired it first, or it was cancelled, paused or rescheduled.
        """

    async def claim_notifications(
        self,
        now: datetime,
        until: datetime,
        household_id: str | None = None,
        device_id: str | None = None,
        limit: int = 100,
    ) -> list[Notification]:
        """Reserve undelivered notifications that nobody holds at ``now`` until ``until``.

        One transaction, so two deliverers never get the same notification while a claim holds;
        ``attempts`` counts the claims. Oldest first.
        """

    async def release_notification(self, notification_id: int, retry_at: datetime) -> bool:
        """Give a claim back after a failed delivery: claimable again from ``retry_at``."""

    async def next_claimable_at(self, household_id: str | None = None) -> datetime | None:
        """When the next undelivered notification can be claimed (maybe in the past)."""

    async def undelivered_notifications(
        self, household_id: str | None = None, device_id: str | None = None
    ) -> list[Notification]:
        """Every undelivered notification, claimed or not, oldest first."""

    async def mark_delivered(self, notification_id: int, at: datetime) -> bool:
        """Record delivery; False when unknown or delivered already."""


class HistoryStore(Protocol):
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
    ) -> HistoryEntry: ...

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
        """One transaction for a whole turn: the conversation's new state (None forgets it)
        and the history entry, so a crash never leaves one without the other."""

    async def history(
        self, household_id: str, device_id: str | None = None, limit: int = 50
    ) -> list[HistoryEntry]:
        """The latest ``limit`` turns, newest first."""

    async def delete_history(
        self, household_id: str, device_id: str | None = None, before: datetime | None = None
    ) -> int:
        """Forget turns (all, or those before ``before``); returns how many."""


class ConversationStore(Protocol):
    """Dialog state by key; the dialog manager owns the dict and the key's meaning."""

    async def load_conversation(self, key: str) -> dict[str, Any] | None: ...

    async def save_conversation(
        self, key: str, state: dict[str, Any], updated_at: datetime
    ) -> None: ...

    async def delete_conversation(self, key: str) -> bool: ...

    async def delete_conversations_before(self, before: datetime) -> int:
        """Drop states last saved before ``before`` (abandoned dialogs); returns how many."""


class ListStore(Protocol):
    """Named lists of a household ("shopping"); names are compared exactly."""

    async def add_list_items(
        self, household_id: str, name: str, texts: Sequence[str], at: datetime
    ) -> list[ListItem]:
        """Append items (creating the list if needed), all or none; returns the new items."""

    async def get_list(self, household_id: str, name: str) -> NamedList | None: ...

    async def list_names(self, household_id: str) -> list[str]: ...

    async def remove_list_items(
        self, household_id: str, name: str, item_ids: Sequence[int]
    ) -> int: ...

    async def check_list_item(
        self, household_id: str, name: str, item_id: int, checked: bool = True
    ) -> bool: ...

    async def clear_list(self, household_id: str, name: str, checked_only: bool = False) -> int:
        """Remove all items (or only the checked ones); the list itself stays."""

    async def delete_list(self, household_id: str, name: str) -> bool: ...


class KeyValueStore(Protocol):
    """Small JSON settings per skill (``namespace``) and household."""

    async def kv_get(
        self, namespace: str, key: str, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> Any | None:
        """The stored value, or None when absent."""

    async def kv_set(
        self, namespace: str, key: str, value: Any, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> None: ...

    async def kv_delete(
        self, namespace: str, key: str, *, household_id: str = DEFAULT_HOUSEHOLD
    ) -> bool: ...


class Store(ScheduleStore, HistoryStore, ConversationStore, ListStore, KeyValueStore, Protocol):
    """Everything Ting persists. Use it as ``async with await open_store(...) as store:``."""

    async def close(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
