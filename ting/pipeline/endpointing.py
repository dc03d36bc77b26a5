"""Semantic endpointing: is what the user said so far a complete command?

The segmenter (``ting.vad.segmenter``) waits a short silence after a complete command, a long one
after clearly unfinished words, and its default otherwise. The verdict comes from a
``CompletenessJudge`` applied to the streaming transcript:

1. words that cannot end a command (a preposition, an article, a conjunction, an operator, a
   verb waiting for its object: "for", "and", "to", "the", "plus", "把", "的", "一个", "提醒我")
   → ``INCOMPLETE``;
2. an exact template match of the NLU (all of its slots filled by construction) → ``COMPLETE``;
3. a bare number at the end ("set a timer for five", "定一个五") → ``INCOMPLETE``;
4. the NLU's statistical model sure of an in-domain intent (``model_confidence``) with every
   slot it needs present, and at least one slot when the intent takes any ("remind me" is not
   complete) → ``COMPLETE``; anything else → ``UNKNOWN`` (the default wait).

The judge is cheap (an NLU parse is a few milliseconds), synchronous and pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from ting.nlu.types import NluResult
from ting.vad.segmenter import Completeness


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DANGLING_EN = _word_set(
    """
    a an the of for to and or but with at in on into onto by from about my your his her their
    our its this that these those some any every is are was were be set add put remind tell
    turn switch make give plus minus times over divided multiplied than like called named if
    when whats how what which where who
    """
)
_DANGLING_ZH = tuple(
    _word_set(
        """
        把 的 一个 一 个 给 和 跟 与 到 在 为 是 对 从 加 减 乘 除以 乘以 等于 设 设置 定 定个
        提醒我 帮我 请 我想 叫 名叫 关于 还有 或者 然后 调到 改成 设成 几
        """
    )
)
_NUMBER_EN = _word_set(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand half
    """
)
_ZH_NUMERALS = "零一二两三四五六七八九十百千万半"
_PUNCT = re.compile(r"[\s\.,!?;:…。，！？；：、\"'“”‘’()（）-]+$")
_WORD = re.compile(r"[A-Za-z']+|\d+(?:\.\d+)?|[\u3400-\u9fff]")


class CompletenessJudge(Protocol):
    def judge(self, text: str, language: str | None = None) -> Completeness: ...


def _tail(text: str) -> str:
    return _PUNCT.sub("", text.strip()).lower()


def ends_unfinished(text: str) -> bool:
    """The words stop where a command cannot end (rule 1)."""
    tail = _tail(text)
    if not tail:
        return False
    if tail[-1].isascii():
        words = _WORD.findall(tail)
        return bool(words) and words[-1] in _DANGLING_EN
    return tail.endswith(_DANGLING_ZH)


def ends_with_bare_number(text: str) -> bool:
    """The last word is a number (rule 3): a unit or more words are probably coming."""
    tail = _tail(text)
    if not tail:
        return False
    words = _WORD.findall(tail)
    if not words:
        return False
    last = words[-1]
    if last[0].isdigit() or last in _NUMBER_EN:
        return True
    # A run of Chinese numerals at the end: "五", "二十"; "十五分钟" ends with a unit.
    return last in _ZH_NUMERALS and len(tail) >= 2


class HeuristicJudge:
    """Rules 1 and 3 only (no NLU): unfinished or unknown, never complete."""

    def judge(self, text: str, language: str | None = None) -> Completeness:
        if ends_unfinished(text) or ends_with_bare_number(text):
            return Completeness.INCOMPLETE
        return Completeness.UNKNOWN


@dataclass(frozen=True)
class NluJudgeSettings:
    model_confidence: float = 0.9
    """The statistical model's confidence (0..1) above which its intent counts as sure."""
    min_chars: int = 2
    """Shorter transcripts are never complete (a stray "a", "嗯")."""


class NluJudge:
    """The full judge (rules 1–4) on top of an NLU parse.

    ``parse``: text → ``NluResult`` (e.g. ``lambda t: assistant.engine.parse(t,
    assistant.parse_context())``); ``needed_slots``: (intent, language) → slots a command of that
    intent cannot do without (default: none beyond what the template or model found).
    """

    def __init__(
        self,
        parse: Callable[[str], NluResult],
        *,
        needed_slots: Callable[[str, str], Collection[str]] | None = None,
        declared_slots: Callable[[str, str], Collection[str]] | None = None,
        settings: NluJudgeSettings | None = None,
    ) -> None:
        self._parse = parse
        self._needed = needed_slots or (lambda intent, language: ())
        self._declared = declared_slots or (lambda intent, language: ())
        self.settings = settings or NluJudgeSettings()

    def judge(self, text: str, language: str | None = None) -> Completeness:
        stripped = _tail(text)
        if len(stripped) < self.settings.min_chars:
            return Completeness.UNKNOWN
        if ends_unfinished(stripped):
            return Completeness.INCOMPLETE
        result = self._parse(stripped)
        if result.intent is not None and result.source == "template":
            return Completeness.COMPLETE
        if ends_with_bare_number(stripped):
            return Completeness.INCOMPLETE
        if result.intent is None or result.confidence < self.settings.model_confidence:
            return Completeness.UNKNOWN
        needed = self._needed(result.intent, result.language)
        declared = self._declared(result.intent, result.language)
        # "remind me" is a sure ReminderSet with nothing to remind: an intent that takes slots
        # is complete from the model only with at least one of them.
        if all(name in result.slots for name in needed) and (not declared or result.slots):
            return Completeness.COMPLETE
        return Completeness.UNKNOWN
