"""The conversation state kept between turns, per household, device and user.

Stored as JSON through the store. Slot values are kept as the words the user said and are parsed
again when a turn reuses them, so no typed value ever needs a JSON encoding of its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SavedSlot:
    name: str
    type: str
    text: str


@dataclass(frozen=True)
class Pending:
    """A question Ting asked and waits an answer to."""

    kind: str
    """``slot`` or ``confirm``."""
    prompt: str
    """The question as spoken, to ask it again."""
    slot: str | None = None
    attempts: int = 0


@dataclass(frozen=True)
class ConversationState:
    language: str
    updated_at: datetime
    intent: str | None = None
    skill: str | None = None
    slots: tuple[SavedSlot, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)
    reply: str = ""
    pending: Pending | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["updated_at"] = self.updated_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        pending = data.get("pending")
        return cls(
            language=str(data["language"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            intent=data.get("intent"),
            skill=data.get("skill"),
            slots=tuple(SavedSlot(**s) for s in data.get("slots") or ()),
            context=dict(data.get("context") or {}),
            reply=str(data.get("reply", "")),
            pending=Pending(**pending) if pending else None,
        )

    def age_s(self, now: datetime) -> float:
        return (now - self.updated_at).total_seconds()
