"""Skills' tests as data, run through the real assistant (shipped so skill authors can use it).

A skill's ``tests/<lang>.yaml`` is a list of cases, each a single turn or a ``dialog`` of turns::

    - say: "set a timer for 5 minutes"
      intent: TimerStart            # null: Ting must not force an intent
      slots: {duration: 300}        # durations in seconds, datetimes "YYYY-MM-DD HH:MM" local
      reply: ["5 minutes"]          # substrings of the reply (case-insensitive)
      actions: [timer.start]        # the set of action types the turn emits

Every case runs in a fresh conversation on its own device, so timers never leak between cases.
The clock is fixed (``TEST_NOW``) so replies about time are exact.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ting.assistant import Assistant, TurnResult
from ting.errors import SkillLoadError
from ting.skills.base import Scope
from ting.yamlfile import read_yaml

TEST_TIMEZONE = "Asia/Shanghai"
TEST_NOW = datetime(2026, 11, 24, 10, 15, tzinfo=ZoneInfo(TEST_TIMEZONE)).astimezone(UTC)
_UNSET = object()
FOLLOW_UP_INTENTS = frozenset({"FollowUp", "Revise", "Yes"})


class FixedClock:
    """A clock that stands still (tests of replies about the time)."""

    def __init__(self, now: datetime = TEST_NOW) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


@dataclass(frozen=True)
class TurnCheck:
    say: str
    intent: Any = _UNSET
    slots: dict[str, Any] = field(default_factory=dict)
    reply: tuple[str, ...] = ()
    actions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SkillCase:
    where: str
    turns: tuple[TurnCheck, ...]


@dataclass
class TurnVerdict:
    case: SkillCase
    check: TurnCheck
    result: TurnResult
    problems: list[str]

    @property
    def intent_ok(self) -> bool:
        return _intent_matches(self.check, self.result)

    @property
    def checks_intent(self) -> bool:
        return self.check.intent is not _UNSET


def load_cases(path: Path) -> list[SkillCase]:
    try:
        raw = read_yaml(path) or []
    except (OSError, yaml.YAMLError) as err:
        raise SkillLoadError(f"{path}: cannot read tests: {err}") from err
    cases = []
    for index, entry in enumerate(raw):
        where = f"{path.parent.parent.name}/{path.name}#{index + 1}"
        turns = entry.get("dialog", [entry])
        cases.append(SkillCase(where, tuple(_turn(t, where) for t in turns)))
    return cases


def _turn(data: dict[str, Any], where: str) -> TurnCheck:
    if "say" not in data:
        raise SkillLoadError(f"{where}: a turn needs 'say'")
    actions = data.get("actions")
    return TurnCheck(
        say=str(data["say"]),
        intent=data.get("intent", _UNSET),
        slots=dict(data.get("slots") or {}),
        reply=tuple(str(r) for r in data.get("reply") or ()),
        actions=None if actions is None else tuple(str(a) for a in actions),
    )


async def run_cases(assistant: Assistant, cases: Sequence[SkillCase]) -> list[TurnVerdict]:
    verdicts = []
    for number, case in enumerate(cases):
        scope = Scope(household_id=f"test-{number}", device_id=f"test-{number}-{case.where}")
        for check in case.turns:
            result = await assistant.handle_text(check.say, scope=scope)
            verdicts.append(TurnVerdict(case, check, result, list(_problems(check, result))))
    return verdicts


def _intent_matches(check: TurnCheck, result: TurnResult) -> bool:
    """A follow-up ("what about Tokyo?") or a "yes" to a confirmation runs the previous intent
    again, so a turn expected to be ``FollowUp``, ``Revise`` or ``Yes`` passes when it was resolved
    from the conversation's context."""
    if check.intent is _UNSET or result.intent == check.intent:
        return True
    return check.intent in FOLLOW_UP_INTENTS and result.source == "context"


def _problems(check: TurnCheck, result: TurnResult) -> Iterator[str]:
    if not _intent_matches(check, result):
        yield f"intent {result.intent!r}, expected {check.intent!r}"
    for name, expected in check.slots.items():
        got = result.slots.get(name)
        if not _slot_matches(expected, got, result.slot_texts.get(name)):
            yield f"slot {name}={got!r}, expected {expected!r}"
    reply = result.reply.lower()
    for fact in check.reply:
        if fact.lower() not in reply:
            yield f"reply {result.reply!r} lacks {fact!r}"
    if check.actions is not None:
        got_actions = {a["type"] for a in result.actions}
        if got_actions != set(check.actions):
            yield f"actions {sorted(got_actions)}, expected {sorted(check.actions)}"


def _slot_matches(expected: Any, got: Any, text: str | None) -> bool:
    if got is None:
        return False
    if isinstance(got, dict) and "when" in got:
        when = datetime.fromisoformat(got["when"]).astimezone(ZoneInfo(TEST_TIMEZONE))
        fmt = "%Y-%m-%d %H:%M" if " " in str(expected) else "%Y-%m-%d"
        return when.strftime(fmt) == str(expected)
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) < 1e-6
    if isinstance(expected, str) and isinstance(got, str):
        return expected.strip().lower() == got.strip().lower() or (
            text is not None and expected.strip().lower() == text.strip().lower()
        )
    return bool(expected == got)
