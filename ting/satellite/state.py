"""The satellite's state, an explicit state machine (its LEDs show the same).

    IDLE ──wake──▶ LISTENING ──voice-stopped──▶ THINKING ──reply audio──▶ SPEAKING ──▶ IDLE
      ▲               │  ▲                          │                       │  │
      │               │  └──── follow-up / barge-in ┼───────────────────────┘  │
      └───────────────┴── lost, no reply, timeout ──┘                          │
    any ──mute──▶ MUTED ──unmute──▶ IDLE                 IDLE ──local sound──▶ ┘

``TRANSITIONS`` lists every allowed move; asking for another one is a bug in the satellite
and raises ``InvalidTransition``. Moving to the state it is already in changes nothing.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)


class State(enum.Enum):
    IDLE = "idle"
    """Waiting for the wake word."""
    LISTENING = "listening"
    """Streaming a command to the hub, or waiting for the answer to Ting's question."""
    THINKING = "thinking"
    """The command ended; waiting for the hub's reply."""
    SPEAKING = "speaking"
    """Playing a reply, a notification, an announcement or a local sound."""
    MUTED = "muted"
    """The microphone is off: no wake word, no audio to the hub."""


TRANSITIONS: dict[State, frozenset[State]] = {
    State.IDLE: frozenset({State.LISTENING, State.SPEAKING, State.MUTED}),
    State.LISTENING: frozenset({State.THINKING, State.SPEAKING, State.IDLE, State.MUTED}),
    State.THINKING: frozenset({State.SPEAKING, State.IDLE, State.MUTED}),
    State.SPEAKING: frozenset({State.IDLE, State.LISTENING, State.MUTED}),
    State.MUTED: frozenset({State.IDLE}),
}


class InvalidTransition(RuntimeError):
    """A move the state machine does not allow (a bug, not a user error)."""


class StateMachine:
    def __init__(self, initial: State = State.IDLE) -> None:
        self.state = initial
        self._listeners: list[Callable[[State, State], None]] = []

    def subscribe(self, listener: Callable[[State, State], None]) -> None:
        """``listener(old, new)`` after every change."""
        self._listeners.append(listener)

    def can(self, new: State) -> bool:
        return new is self.state or new in TRANSITIONS[self.state]

    def to(self, new: State) -> bool:
        """Move to ``new``; False when already there. ``InvalidTransition`` when not allowed."""
        old = self.state
        if new is old:
            return False
        if new not in TRANSITIONS[old]:
            raise InvalidTransition(f"satellite state {old.value} cannot go to {new.value}")
        self.state = new
        _LOGGER.debug("state %s -> %s", old.value, new.value)
        for listener in self._listeners:
            listener(old, new)
        return True

    def __repr__(self) -> str:
        return f"StateMachine({self.state.value})"
