"""Data types shared by the NLU engine, the dialog manager and skills."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from ting.lang.names import SUPPORTED_LANGUAGES

__all__ = [
    "SUPPORTED_LANGUAGES",
    "IntentCandidate",
    "NluResult",
    "ParseContext",
    "ResultSource",
    "SlotValue",
    "all_values",
]

ResultSource = Literal["template", "model", "context", "none"]


@dataclass(frozen=True)
class ParseContext:
    """What value parsers need to resolve relative expressions ("tomorrow at 7", "明早七点")."""

    now: datetime
    """The current instant, timezone-aware."""
    timezone: ZoneInfo
    """The device's time zone; relative dates resolve in it."""

    def local_now(self) -> datetime:
        return self.now.astimezone(self.timezone)


@dataclass(frozen=True)
class SlotValue:
    """One filled slot: its typed value and the text it came from."""

    name: str
    type: str
    value: Any
    """Typed: int/float for numbers, ``timedelta`` for durations, ``DateTimeValue`` for dates and
    times, ``Quantity`` for percentages and temperatures, the canonical list value for list slots,
    the raw text for ``text`` slots."""
    text: str
    """The words of the utterance the value was read from."""


@dataclass(frozen=True)
class IntentCandidate:
    intent: str
    confidence: float


@dataclass(frozen=True)
class NluResult:
    """The understanding of one utterance."""

    text: str
    language: str
    intent: str | None
    """None when the utterance is out of domain."""
    confidence: float
    slots: dict[str, SlotValue] = field(default_factory=dict)
    alternatives: tuple[IntentCandidate, ...] = ()
    """Other intents considered, best first (the chosen one excluded)."""
    source: ResultSource = "none"
    """Which part of the engine decided: an exact template match, the statistical model, the
    dialog context, or nothing."""
    more: tuple[SlotValue, ...] = ()
    """Further values of slots already in ``slots``, in the order spoken ("play adele and
    coldplay": ``coldplay``); ``slots`` holds each slot's most confident value."""

    def slot(self, name: str, default: Any = None) -> Any:
        found = self.slots.get(name)
        return default if found is None else found.value

    def values(self, name: str) -> list[Any]:
        """Every value of slot ``name``: the one in ``slots`` first, then those in ``more``."""
        return all_values(self.slots, self.more, name)


def all_values(slots: Mapping[str, SlotValue], more: Sequence[SlotValue], name: str) -> list[Any]:
    """The value of slot ``name`` in ``slots`` (if any), then its further values in ``more``."""
    found = slots.get(name)
    first = [] if found is None else [found.value]
    return first + [extra.value for extra in more if extra.name == name]
