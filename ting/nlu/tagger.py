"""The slot tagger: a per-token softmax over BIO labels, decoded with Viterbi.

Why not a CRF or a structured perceptron: the token model shares the trainer of the intent
classifier (one small numpy implementation, no native dependency, vectorized training that
takes a fraction of a second), and most of what a CRF adds is recovered by giving each token
its neighbours' words and list marks as features and by decoding under the BIO constraints
(``I-x`` only after ``B-x`` or ``I-x``) restricted to the slots of the chosen intent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ting.nlu.features import token_features
from ting.nlu.linear import Rows, SoftmaxModel, TrainSettings, hash_features

__all__ = ["OUTSIDE", "SlotTagger", "TaggedSentence", "TaggedSpan"]

OUTSIDE = "O"


@dataclass(frozen=True)
class TaggedSentence:
    words: tuple[str, ...]
    marks: tuple[tuple[str, ...], ...]
    """Gazetteer marks per word (see ``features.gazetteer``)."""
    tags: tuple[str, ...]
    """``O``, ``B-slot`` or ``I-slot`` per word."""
    intent: str


@dataclass(frozen=True)
class TaggedSpan:
    slot: str
    start: int
    end: int
    confidence: float


def _rows(sentence: TaggedSentence) -> list[list[int]]:
    return [
        hash_features(token_features(sentence.words, sentence.marks, i, sentence.intent))
        for i in range(len(sentence.words))
    ]


class SlotTagger:
    def __init__(self, labels: Sequence[str], model: SoftmaxModel) -> None:
        self.labels = list(labels)
        self.model = model
        self._slot_of = [label[2:] if label != OUTSIDE else "" for label in self.labels]
        self._inside = np.array([label.startswith("I-") for label in self.labels])
        same_slot = np.array([[a == b for b in self._slot_of] for a in self._slot_of])
        # I-x may follow B-x or I-x only.
        self._allowed = ~self._inside[None, :] | same_slot
        self._allowed &= ~(
            np.array([label == OUTSIDE for label in self.labels])[:, None] & self._inside[None, :]
        )

    @classmethod
    def train(
        cls, sentences: Sequence[TaggedSentence], settings: TrainSettings, seed: int
    ) -> SlotTagger:
        labels = sorted({tag for s in sentences for tag in s.tags} | {OUTSIDE})
        label_index = {label: i for i, label in enumerate(labels)}
        rows = [row for sentence in sentences for row in _rows(sentence)]
        targets = np.array(
            [label_index[tag] for sentence in sentences for tag in sentence.tags], np.int64
        )
        model = SoftmaxModel.train(Rows.from_lists(rows), targets, len(labels), settings, seed)
        return cls(labels, model)

    def tag(
        self,
        words: tuple[str, ...],
        marks: tuple[tuple[str, ...], ...],
        intent: str,
        slots: frozenset[str],
    ) -> list[TaggedSpan]:
        """Slot spans of the best label sequence using only ``slots``."""
        if not words:
            return []
        sentence = TaggedSentence(words, marks, (), intent)
        probabilities = self.model.probabilities(Rows.from_lists(_rows(sentence)))
        usable = np.array([slot == "" or slot in slots for slot in self._slot_of])
        with np.errstate(divide="ignore"):
            scores = np.log(probabilities + 1e-9)
        scores[:, ~usable] = -np.inf
        path = self._viterbi(scores)
        return self._spans(path, probabilities)

    def _viterbi(self, scores: NDArray[np.float32]) -> list[int]:
        transition = np.where(self._allowed, 0.0, -np.inf)
        best = np.where(self._inside, -np.inf, scores[0])
        back = []
        for step in scores[1:]:
            total = best[:, None] + transition
            back.append(total.argmax(axis=0))
            best = total.max(axis=0) + step
        path = [int(best.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        return path[::-1]

    def _spans(self, path: list[int], probabilities: NDArray[np.float32]) -> list[TaggedSpan]:
        spans: list[TaggedSpan] = []
        start: int | None = None
        for i, label in enumerate([*path, -1]):
            inside = label >= 0 and bool(self._inside[label])
            if start is not None and not inside:
                slot = self._slot_of[path[start]]
                confidence = float(np.mean([probabilities[j, path[j]] for j in range(start, i)]))
                spans.append(TaggedSpan(slot, start, i, confidence))
                start = None
            if label >= 0 and self.labels[label].startswith("B-"):
                start = i
        return spans
