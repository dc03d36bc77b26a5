"""Intent and slot scoring the way the literature reports it.

Slot F1 is conlleval's: a predicted span counts only when its boundaries and its type are both
exactly those of a gold span; precision and recall are over all spans of all sentences. Tags may
be BIO or BIOES (``S-x`` is a one-token span, ``E-x`` closes one). Sentence exact match needs the
intent and every span right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Scores", "Span", "score", "spans_from_tags"]

Span = tuple[str, int, int]
"""(slot type, first token, end token exclusive)."""


def spans_from_tags(tags: Sequence[str]) -> list[Span]:
    """Spans of a BIO or BIOES tag sequence; a stray ``I-x``/``E-x`` starts a span, as in
    conlleval, and a type change closes the open span."""
    spans: list[Span] = []
    current: tuple[str, int] | None = None
    for i, tag in enumerate(tags):
        prefix, kind = (tag[0], tag[2:]) if len(tag) > 2 and tag[1] == "-" else ("O", "")
        if current is not None and (prefix in "OBS" or kind != current[0]):
            spans.append((current[0], current[1], i))
            current = None
        if prefix in "BS" or (prefix in "IE" and current is None):
            current = (kind, i)
        if prefix in "ES" and current is not None:
            spans.append((current[0], current[1], i + 1))
            current = None
    if current is not None:
        spans.append((current[0], current[1], len(tags)))
    return spans


@dataclass(frozen=True)
class Scores:
    sentences: int
    intent_accuracy: float
    slot_precision: float
    slot_recall: float
    slot_f1: float
    exact_match: float


def score(
    gold: Sequence[tuple[str, Sequence[Span]]],
    predicted: Sequence[tuple[str | None, Sequence[Span]]],
) -> Scores:
    """Scores of ``predicted`` (intent, spans) against ``gold`` (intent, spans), sentence by
    sentence."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    right_intents = correct = found = expected = exact = 0
    for (gold_intent, gold_spans), (intent, spans) in zip(gold, predicted, strict=True):
        gold_set, predicted_set = set(gold_spans), set(spans)
        hits = len(gold_set & predicted_set)
        correct += hits
        found += len(predicted_set)
        expected += len(gold_set)
        right_intents += intent == gold_intent
        exact += intent == gold_intent and gold_set == predicted_set
    n = max(len(gold), 1)
    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(len(gold), right_intents / n, precision, recall, f1, exact / n)
