"""Typed pipeline events and the bus that observers subscribe to.

A text turn emits ``run-start`` → ``intent-start`` → ``intent-end`` → ``handle-start`` →
``handle-end`` → ``run-end`` (or ``error``); the scheduler emits ``notification`` when a timer,
alarm or reminder fires. The speech pipeline and the hub add their own stages with the same shape.
Metrics, logging and the CLI are observers: nothing inside a stage knows about them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunEvent:
    """Base of all pipeline events; ``type`` is the wire name."""

    type: ClassVar[str] = "event"
    run_id: str
    at: float
    """Monotonic seconds (time.perf_counter) when the event was emitted."""


@dataclass(frozen=True)
class RunStart(RunEvent):
    type: ClassVar[str] = "run-start"
    text: str
    device_id: str


@dataclass(frozen=True)
class IntentStart(RunEvent):
    type: ClassVar[str] = "intent-start"
    text: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class IntentEnd(RunEvent):
    type: ClassVar[str] = "intent-end"
    intent: str | None
    language: str
    confidence: float
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HandleStart(RunEvent):
    type: ClassVar[str] = "handle-start"
    skill: str
    intent: str


@dataclass(frozen=True)
class HandleEnd(RunEvent):
    type: ClassVar[str] = "handle-end"
    reply: str
    actions: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class RunEnd(RunEvent):
    type: ClassVar[str] = "run-end"
    reply: str
    language: str


@dataclass(frozen=True)
class ErrorEvent(RunEvent):
    type: ClassVar[str] = "error"
    code: str
    message: str


@dataclass(frozen=True)
class NotificationEvent(RunEvent):
    """A timer, alarm or reminder fired: what to say (and ring) on a device."""

    type: ClassVar[str] = "notification"
    device_id: str
    household_id: str
    kind: str
    text: str
    language: str
    late_by_s: float = 0.0
    actions: tuple[dict[str, Any], ...] = ()
    """What the device should do besides speaking (``alarm.ring`` ...)."""
    item_id: str | None = None
    """The timer, alarm or reminder that fired (None once it was deleted)."""
    due_at: str | None = None
    """The occurrence that fired, ISO 8601 UTC."""


Observer = Callable[[RunEvent], None]


class EventBus:
    """Fan-out of run events to observers; an observer that raises is logged and skipped."""

    def __init__(self) -> None:
        self._observers: list[Observer] = []

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        self._observers.append(observer)
        return lambda: self._observers.remove(observer)

    def emit(self, event: RunEvent) -> None:
        for observer in list(self._observers):
            try:
                observer(event)
            except Exception:
                _LOGGER.exception("Event observer failed on %s", event.type)
