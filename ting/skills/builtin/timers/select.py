"""Which timer a request means: by name ("the pasta timer"), by length ("the 5 minute timer"),
the one the conversation is about ("pause it"), or the only one there is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ting.skills.base import IntentRequest, Scope, SkillReply
from ting.store.base import Store
from ting.store.records import ItemKind, ItemState, ScheduledItem
from ting.values import parse_duration

_TIMER_WORDS = ("计时器", "定时器", "倒计时", "timers", "timer")
_ARTICLES = frozenset({"the", "my", "a", "an", "that", "this"})


@dataclass(frozen=True)
class Selection:
    timers: list[ScheduledItem]
    reply: SkillReply | None
    """Set when Ting must answer instead (no timers, not found, which one?)."""


async def active_timers(
    store: Store,
    scope: Scope,
    states: Sequence[ItemState] = (ItemState.PENDING, ItemState.PAUSED),
) -> list[ScheduledItem]:
    return await store.list_items(
        scope.household_id, scope.device_id, kind=ItemKind.TIMER, states=states
    )


def remaining(timer: ScheduledItem, now: datetime) -> timedelta:
    if timer.due_at is None:
        return timedelta(seconds=float(timer.payload.get("remaining_s", 0)))
    return max(timedelta(0), timer.due_at - now)


def normalize_name(name: str) -> str:
    """ "The Pasta Timer" -> "pasta", "意面的计时器" -> "意面"."""
    text = name.lower()
    for word in _TIMER_WORDS:
        text = text.replace(word, " ")
    kept = [w for w in text.split() if w not in _ARTICLES]
    return " ".join(kept).removesuffix("的").strip()


def select_timers(timers: list[ScheduledItem], request: IntentRequest) -> list[ScheduledItem]:
    said = request.slot("name")
    if said:
        return _by_name(timers, str(said))
    if len(timers) > 1 and request.previous is not None:
        current = request.previous.context.get("timer_id")
        chosen = [t for t in timers if t.id == current]
        if chosen:
            return chosen
    return list(timers)


def _by_name(timers: list[ScheduledItem], said: str) -> list[ScheduledItem]:
    wanted = normalize_name(said)
    named = [t for t in timers if t.label and normalize_name(t.label) == wanted]
    if named:
        return named
    named = [
        t
        for t in timers
        if t.label
        and wanted
        and (wanted in normalize_name(t.label) or normalize_name(t.label) in wanted)
    ]
    if named:
        return named
    length = parse_duration(wanted)
    if length is not None:
        return [
            t
            for t in timers
            if abs(float(t.payload.get("duration_s", 0)) - length.total_seconds()) < 1
        ]
    return []
