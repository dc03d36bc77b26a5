"""Semantic endpointing decisions: unfinished words wait, complete commands end early."""

from __future__ import annotations

import pytest

from ting.nlu.types import NluResult, SlotValue
from ting.pipeline import HeuristicJudge, NluJudge, ends_unfinished, ends_with_bare_number
from ting.vad import Completeness

COMPLETE, INCOMPLETE, UNKNOWN = Completeness.COMPLETE, Completeness.INCOMPLETE, Completeness.UNKNOWN


@pytest.mark.parametrize(
    "text",
    [
        "set a timer for",
        "Set a timer for.",
        "remind me to",
        "add milk and",
        "turn on the",
        "what is five plus",
        "play something by",
        "把",
        "帮我把",
        "设一个",
        "提醒我",
        "今天的",
        "十二乘以",
    ],
)
def test_unfinished(text: str) -> None:
    assert ends_unfinished(text)
    assert HeuristicJudge().judge(text) is INCOMPLETE


@pytest.mark.parametrize(
    "text",
    [
        "what time is it",
        "set a timer for five minutes",
        "stop",
        "现在几点",
        "设一个五分钟的计时器",
        "",
        "   ",
        "。",
    ],
)
def test_not_unfinished(text: str) -> None:
    assert not ends_unfinished(text)


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("set a timer for five", True),
        ("set a timer for 5", True),
        ("set a timer for 5 minutes", False),
        ("wake me up at seven", True),
        ("设一个五", True),
        ("设一个二十", True),
        ("设一个五分钟的计时器", False),
        ("五", False),  # a lone numeral is an answer, not a sentence stopping short
    ],
)
def test_bare_number(text: str, bare: bool) -> None:
    assert ends_with_bare_number(text) is bare


def fake_parse(table: dict[str, NluResult]):  # type: ignore[no-untyped-def]
    def parse(text: str) -> NluResult:
        return table.get(text.lower(), NluResult(text, "en", None, 0.9))

    return parse


def result(intent: str | None, source: str, confidence: float = 1.0, **slots: object) -> NluResult:
    values = {k: SlotValue(k, "x", v, str(v)) for k, v in slots.items()}
    return NluResult("", "en", intent, confidence, values, source=source)  # type: ignore[arg-type]


TABLE = {
    "what time is it": result("TimeGet", "template"),
    "what is twelve times seven": result("MathCompute", "template"),
    "set a timer for five": result("TimerSet", "model", 0.95),
    "set a timer for five minutes": result("TimerSet", "model", 0.97, duration=300),
    "set a timer please": result("TimerSet", "model", 0.95),
    "remind me": result("ReminderSet", "model", 0.99),
    "stop it": result("Stop", "model", 0.99),
    "i would like a timer maybe": result("TimerSet", "model", 0.6),
    "the weather in my garden": result(None, "none", 0.9),
}


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("What time is it?", COMPLETE),  # template match
        ("what is twelve times seven", COMPLETE),  # template wins over the trailing number
        ("set a timer for", INCOMPLETE),  # dangling word, before any parse
        ("set a timer for five", INCOMPLETE),  # a number without its unit
        ("set a timer for five minutes", COMPLETE),  # sure model, needed slot present
        ("set a timer please", UNKNOWN),  # sure model, but the needed slot is missing
        ("i would like a timer maybe", UNKNOWN),  # unsure model
        ("remind me", UNKNOWN),  # sure model, but an intent with slots and none of them
        ("stop it", COMPLETE),  # sure model, an intent without slots
        ("the weather in my garden", UNKNOWN),  # out of domain
        ("a", UNKNOWN),  # too short to judge
    ],
)
def test_nlu_judge(text: str, verdict: Completeness) -> None:
    needed = {"TimerSet": ("duration",)}
    declared = {"TimerSet": ("duration", "name"), "ReminderSet": ("task", "when")}
    judge = NluJudge(
        fake_parse(TABLE),
        needed_slots=lambda intent, lang: needed.get(intent, ()),
        declared_slots=lambda intent, lang: declared.get(intent, ()),
    )
    assert judge.judge(text) is verdict
