"""What the store keeps: frozen records, each scoped to a household and a device.

Every timestamp is a timezone-aware ``datetime``; the store returns them in UTC. JSON-valued
fields (``payload``, ``actions``, conversation state, key-value values) hold whatever
``json.dumps`` accepts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

DEFAULT_HOUSEHOLD = "home"
"""The household of a single-speaker install; a later multi-household hub names its own."""
DEFAULT_DEVICE = "local"
"""The device of a single-speaker install."""


class ItemKind(StrEnum):
    TIMER = "timer"
    ALARM = "alarm"
    REMINDER = "reminder"


class ItemState(StrEnum):
    """The life of a scheduled item.

    ``pending`` (waiting for ``due_at``) ⇄ ``paused`` (``due_at`` is None) → ``fired`` (rang;
    a recurring item stays ``pending`` with its next ``due_at`` instead) → ``done`` (the owner
    skill closed it, e.g. the user stopped the alarm); ``cancelled`` from any state but ``done``.
    """

    PENDING = "pending"
    PAUSED = "paused"
    FIRED = "fired"
    CANCELLED = "cancelled"
    DONE = "done"


ACTIVE_STATES: tuple[ItemState, ...] = (ItemState.PENDING, ItemState.PAUSED)
"""The states of items that have not rung yet; what "list my timers" shows."""


def new_item_id() -> str:
    return uuid.uuid4().hex


def late_by_s(due_at: datetime, fired_at: datetime) -> float:
    """How many seconds after ``due_at`` a fire happened (0 when on time or early)."""
    return max(0.0, (fired_at - due_at).total_seconds())


@dataclass(frozen=True)
class ScheduledItem:
    """A timer, alarm or reminder. The owner skill decides what it says when it fires."""

    id: str
    """uuid4 hex, chosen by the caller (``ScheduledItem.new`` does it)."""
    household_id: str
    device_id: str
    user_id: str | None
    kind: ItemKind
    owner_skill: str
    """The skill that created the item; it computes recurrences and words the notification."""
    label: str | None
    language: str
    created_at: datetime
    due_at: datetime | None
    """When it rings; None while paused."""
    state: ItemState
    recurrence: str | None
    """Opaque rule text that only ``owner_skill`` interprets; None for a one-shot item."""
    payload: dict[str, Any]
    fired_at: datetime | None
    """When it last fired."""
    version: int
    """Bumped by every write; ``update_item`` uses it for optimistic concurrency."""

    @classmethod
    def new(
        cls,
        *,
        kind: ItemKind,
        owner_skill: str,
        language: str,
        created_at: datetime,
        due_at: datetime | None,
        label: str | None = None,
        recurrence: str | None = None,
        payload: dict[str, Any] | None = None,
        household_id: str = DEFAULT_HOUSEHOLD,
        device_id: str = DEFAULT_DEVICE,
        user_id: str | None = None,
    ) -> ScheduledItem:
        """A fresh item with a new id: ``pending`` when it has a due time, else ``paused``."""
        return cls(
            id=new_item_id(),
            household_id=household_id,
            device_id=device_id,
            user_id=user_id,
            kind=kind,
            owner_skill=owner_skill,
            label=label,
            language=language,
            created_at=created_at,
            due_at=due_at,
            state=ItemState.PENDING if due_at is not None else ItemState.PAUSED,
            recurrence=recurrence,
            payload=dict(payload or {}),
            fired_at=None,
            version=1,
        )


@dataclass(frozen=True)
class Notification:
    """The outbox: one fire of a scheduled item that must be told or rung on a device."""

    id: int
    household_id: str
    device_id: str
    item_id: str | None
    """None once the item itself was deleted."""
    kind: ItemKind
    owner_skill: str
    language: str
    created_at: datetime
    due_at: datetime
    """The occurrence that fired."""
    fired_at: datetime
    late_by_s: float
    """Seconds between ``due_at`` and ``fired_at``: large when Ting was down at ``due_at``."""
    payload: dict[str, Any]
    delivered_at: datetime | None
    attempts: int = 0
    """How many times a deliverer claimed it (the fire itself counts when it claims)."""


@dataclass(frozen=True)
class HistoryEntry:
    """One turn of conversation: what the user said and what Ting answered and did."""

    id: int
    household_id: str
    device_id: str
    user_id: str | None
    at: datetime
    language: str
    text: str
    intent: str | None
    reply: str
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ListItem:
    id: int
    text: str
    checked: bool
    created_at: datetime
    position: int
    """Orders the items of a list; gaps are allowed (removals do not renumber)."""


@dataclass(frozen=True)
class NamedList:
    """A household's list ("shopping", "购物清单"); shared by all its devices."""

    household_id: str
    name: str
    created_at: datetime
    items: tuple[ListItem, ...]
