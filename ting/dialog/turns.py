"""What one turn produced, and what it does to the conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ting.dialog.state import ConversationState, Pending, SavedSlot
from ting.nlu.types import NluResult, SlotValue
from ting.skills.base import Action


@dataclass(frozen=True)
class DialogSettings:
    default_language: str = "en"
    """Reply language when the input shows none (digits, emoji) and no conversation is active."""
    conversation_timeout_s: float = 120.0
    """After this long without a turn, context and open questions are forgotten."""
    max_input_chars: int = 1000
    """Longer input is refused with a short reply (nobody speaks a 1,000-character command)."""


@dataclass(frozen=True)
class TurnOutcome:
    text: str
    language: str
    reply: str
    intent: str | None = None
    skill: str | None = None
    confidence: float = 0.0
    source: str = "none"
    slots: Mapping[str, SlotValue] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    expecting: str | None = None
    """``slot`` or ``confirm`` when Ting asked a question and listens for the answer."""
    memory: str = "keep"
    """What the turn does to the conversation: ``new`` (a skill ran: remember its request),
    ``keep`` (same context, question closed), ``reask`` (same question again), ``clear``."""
    pending_slot: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnPlan:
    state: ConversationState | None
    outcome: TurnOutcome | None
    result: NluResult | None = None
    languages: tuple[str, ...] = ()


def next_state(
    outcome: TurnOutcome, state: ConversationState | None, now: datetime
) -> ConversationState | None:
    """The conversation after ``outcome``; None forgets it."""
    if outcome.memory == "clear":
        return None
    if outcome.memory == "new":
        pending = None
        if outcome.expecting is not None:
            pending = Pending(
                kind=outcome.expecting, prompt=outcome.reply, slot=outcome.pending_slot
            )
        return ConversationState(
            language=outcome.language,
            updated_at=now,
            intent=outcome.intent,
            skill=outcome.skill,
            slots=tuple(SavedSlot(s.name, s.type, s.text) for s in outcome.slots.values()),
            context=dict(outcome.context),
            reply=outcome.reply,
            pending=pending,
        )
    if state is None:
        return ConversationState(language=outcome.language, updated_at=now, reply=outcome.reply)
    if outcome.memory == "reask" and state.pending is not None:
        pending = replace(state.pending, attempts=state.pending.attempts + 1)
        return replace(state, updated_at=now, pending=pending)
    return replace(state, updated_at=now, reply=outcome.reply, pending=None)
