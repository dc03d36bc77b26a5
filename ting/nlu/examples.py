"""Annotated example sentences: ``i need a [pasta](name) timer for [ten minutes](duration)``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ting.errors import NluError
from ting.nlu.expand import Expansion, SlotSpan

__all__ = ["parse_example"]

_ANNOTATION = re.compile(r"\[([^\[\]()]*)\]\(([^()\[\]]*)\)")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    words: str
    slot: str


def parse_example(text: str, slots: frozenset[str] | set[str]) -> Expansion:
    """The plain sentence and its slot spans; raises ``NluError`` on a bad annotation."""
    if not isinstance(text, str) or not text.strip():
        raise NluError("empty example")
    found = [
        _Found(m.start(), m.end(), m.group(1), m.group(2).strip())
        for m in _ANNOTATION.finditer(text)
    ]
    plain, spans, cursor = "", [], 0
    for item in found:
        _check(item, slots)
        plain += text[cursor : item.start]
        words = item.words.strip()
        lead = len(item.words) - len(item.words.lstrip())
        start = len(plain) + lead
        plain += item.words
        spans.append(SlotSpan(item.slot, start, start + len(words)))
        cursor = item.end
    plain += text[cursor:]
    leftover = re.search(r"[\[\]]|\]\(", plain)
    if leftover:
        raise NluError(f"unbalanced '[' or ']' (annotate slots as [words](slot)) in {text!r}")
    return Expansion(plain, tuple(spans))


def _check(item: _Found, slots: frozenset[str] | set[str]) -> None:
    if not item.words.strip():
        raise NluError(f"empty annotation [{item.words}]({item.slot})")
    if item.slot not in slots:
        raise NluError(f"slot '{item.slot}' in [{item.words}]({item.slot}) is not declared")
