"""The slot tagger: a linear-chain CRF over BIO labels, decoded with constrained Viterbi.

Training uses CRFsuite (L-BFGS with L1 + L2, so most feature weights end at zero); the learned
weights are then copied out into plain arrays, so answering needs only numpy and a saved model is
arrays in the engine's ``.npz`` cache. Features are hashed strings (``features.token_features``):
the word and its neighbours (±2), word shape, affixes, the intent (alone and with the word and
its neighbours), gazetteer marks from the domain's lists and from the slot values seen in
examples, and for Chinese each character's place in its jieba word (``segment``); optionally,
for English, each word's contextual vector from the sentence encoder (``context``), as weighted
attributes whose weights are kept as a dense block (``CrfWeights.dense``). Decoding is
restricted to the slots of the chosen intent and to well-formed BIO (``I-x`` only after ``B-x``
or ``I-x``); a span's confidence is its tokens' mean marginal probability (forward-backward).
"""

from __future__ import annotations

import ctypes
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ting.nlu.features import token_features
from ting.nlu.linear import Rows, hash_features
from ting.nlu.segment import word_positions

__all__ = ["OUTSIDE", "CrfSettings", "CrfWeights", "SlotTagger", "TaggedSentence", "TaggedSpan"]

OUTSIDE = "O"
_LOG = logging.getLogger(__name__)

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class TaggedSentence:
    words: tuple[str, ...]
    marks: tuple[tuple[str, ...], ...]
    """Gazetteer marks per word (see ``features.gazetteer``)."""
    tags: tuple[str, ...]
    """``O``, ``B-slot`` or ``I-slot`` per word."""
    intent: str
    vectors: Floats | None = field(default=None, compare=False)
    """(words, k) projected contextual word vectors (``context``), when the tagger uses
    them: weighted CRF attributes beside the binary feature strings."""


@dataclass(frozen=True)
class TaggedSpan:
    slot: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class CrfSettings:
    algorithm: str = "ap"
    """CRFsuite's trainer: ``ap`` (averaged perceptron: a few passes, so the skills' domain
    trains in seconds at first start) or ``lbfgs`` (the most accurate, minutes on large label
    sets; ``ACCURATE_TAGGER`` below, used by the benchmarks)."""
    c1: float = 0.02
    """L1 penalty (sparsity), L-BFGS only. 0.02 / 0.01 rather than 0.05 / 0.02 since engine v4:
    better on SNIPS dev, CAIS valid and the few-shot stand-in (docs/benchmarks.md)."""
    c2: float = 0.01
    """L2 penalty, L-BFGS only."""
    max_iterations: int = 10
    """Training passes (perceptron) or L-BFGS iterations at most."""
    small_iterations: int = 10
    """The cap for data sets of under ``small_tokens`` tokens (the skills' own domain), which keeps
    the first start of the assistant fast."""
    small_tokens: int = 30000
    min_count: int = 1
    """Features seen fewer times than this in training are dropped."""


ACCURATE_TAGGER = CrfSettings(algorithm="lbfgs", max_iterations=200, small_iterations=60)
"""L-BFGS training: what the SNIPS / CAIS benchmark figures are measured with."""


@dataclass(frozen=True)
class CrfWeights:
    """State weights in CSR form over feature hashes, plus label transitions."""

    vocabulary: NDArray[np.uint32]
    """Sorted feature hashes."""
    indptr: NDArray[np.int64]
    columns: NDArray[np.int16]
    weights: Floats
    transitions: Floats
    """(from label, to label)."""
    dense: Floats
    """(k, labels) weights of the contextual word vectors; (0, labels) when none were used."""

    def emissions(self, rows: Rows, n_labels: int, vectors: Floats | None = None) -> Floats:
        """(tokens, labels) state scores, with ``vectors`` (tokens, k) when the model has
        weights for them."""
        n = len(rows)
        scores = np.zeros((n, n_labels), np.float32)
        if vectors is not None and len(self.dense) and vectors.shape[1] == len(self.dense):
            scores += vectors @ self.dense
        if not len(self.vocabulary):
            return scores
        index = np.searchsorted(self.vocabulary, rows.hashes)
        index[index >= len(self.vocabulary)] = 0
        known = self.vocabulary[index] == rows.hashes
        token = np.repeat(np.arange(n), np.diff(rows.indptr))[known]
        index = index[known]
        starts, ends = self.indptr[index], self.indptr[index + 1]
        sizes = ends - starts
        total = int(sizes.sum())
        if total == 0:
            return scores
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        positions = offsets + np.arange(total)
        np.add.at(
            scores, (np.repeat(token, sizes), self.columns[positions]), self.weights[positions]
        )
        return scores


DENSE = "ctx:"
"""CRFsuite attribute names of the contextual vector's dimensions (``ctx:0`` ...)."""


def _items(sentence: TaggedSentence) -> list[list[str]] | list[dict[str, float]]:
    """The sentence's CRFsuite items: feature strings, plus weighted vector dimensions."""
    rows = _rows(sentence)
    if sentence.vectors is None:
        return rows
    return [
        {**dict.fromkeys(row, 1.0), **{f"{DENSE}{k}": float(v) for k, v in enumerate(vector)}}
        for row, vector in zip(rows, sentence.vectors, strict=True)
    ]


def _rows(sentence: TaggedSentence) -> list[list[str]]:
    segments = word_positions(sentence.words)
    return [
        token_features(sentence.words, sentence.marks, i, sentence.intent, segments)
        for i in range(len(sentence.words))
    ]


def _seed_c_random(seed: int) -> None:
    """Seed the C library's ``rand()``, which CRFsuite's online trainers (the averaged
    perceptron) use to shuffle the sentences each epoch: unseeded, a model depended on what
    else the process had drawn before (another model's training), so the same data could give
    two taggers."""
    try:
        libc = ctypes.CDLL(None)
        libc.srand(ctypes.c_uint(seed))
    except (OSError, AttributeError):  # no C library to reach (not on POSIX)
        _LOG.debug("could not seed rand(); the perceptron tagger may vary between runs")


def _train_crf(
    sentences: Sequence[TaggedSentence], labels: list[str], settings: CrfSettings, seed: int
) -> CrfWeights:
    import pycrfsuite  # only training needs CRFsuite

    trainer = pycrfsuite.Trainer(settings.algorithm, verbose=False)
    tokens = 0
    for sentence in sentences:
        trainer.append(pycrfsuite.ItemSequence(_items(sentence)), list(sentence.tags))
        tokens += len(sentence.words)
    small = tokens < settings.small_tokens
    params: dict[str, object] = {
        "max_iterations": settings.small_iterations if small else settings.max_iterations,
        "feature.minfreq": settings.min_count,
        "feature.possible_transitions": True,
    }
    if settings.algorithm == "lbfgs":
        params.update({"c1": settings.c1, "c2": settings.c2})
    trainer.set_params(params)
    _seed_c_random(seed)
    handle, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(handle)
    try:
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    finally:
        os.unlink(path)
    index = {label: i for i, label in enumerate(labels)}
    transitions = np.zeros((len(labels), len(labels)), np.float32)
    for (first, second), weight in info.transitions.items():
        transitions[index[first], index[second]] = weight
    width = max((len(s.vectors[0]) for s in sentences if s.vectors is not None), default=0)
    dense = np.zeros((width, len(labels)), np.float32)
    by_hash: dict[int, list[tuple[int, float]]] = {}
    for (attribute, label), weight in info.state_features.items():
        if weight == 0.0:
            continue
        if attribute.startswith(DENSE):
            dense[int(attribute[len(DENSE) :]), index[label]] = weight
            continue
        key = hash_features([attribute])[0]
        by_hash.setdefault(key, []).append((index[label], weight))
    hashes = np.array(sorted(by_hash), np.uint32)
    sizes = [len(by_hash[int(h)]) for h in hashes]
    indptr = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
    pairs = [pair for h in hashes for pair in by_hash[int(h)]]
    columns = np.array([c for c, _ in pairs], np.int16)
    weights = np.array([w for _, w in pairs], np.float32)
    return CrfWeights(hashes, indptr, columns, weights, transitions, dense)


class SlotTagger:
    def __init__(self, labels: Sequence[str], crf: CrfWeights) -> None:
        self.labels = list(labels)
        self.crf = crf
        self._slot_of = [label[2:] if label != OUTSIDE else "" for label in self.labels]
        self._inside = np.array([label.startswith("I-") for label in self.labels])
        same_slot = np.array([[a == b for b in self._slot_of] for a in self._slot_of])
        # I-x may follow B-x or I-x only.
        allowed = ~self._inside[None, :] | same_slot
        allowed &= ~(
            np.array([label == OUTSIDE for label in self.labels])[:, None] & self._inside[None, :]
        )
        self._transition = np.where(allowed, crf.transitions, -np.inf).astype(np.float64)

    @classmethod
    def train(
        cls, sentences: Sequence[TaggedSentence], settings: CrfSettings, seed: int
    ) -> SlotTagger:
        """Fit the CRF, deterministically: L-BFGS has no randomness, and the perceptron's
        shuffling is seeded with ``seed``."""
        labels = sorted({tag for s in sentences for tag in s.tags} | {OUTSIDE})
        usable = [s for s in sentences if s.words]
        if len(labels) == 1 or not usable:
            empty = CrfWeights(
                np.zeros(0, np.uint32),
                np.zeros(1, np.int64),
                np.zeros(0, np.int16),
                np.zeros(0, np.float32),
                np.zeros((len(labels), len(labels)), np.float32),
                np.zeros((0, len(labels)), np.float32),
            )
            return cls(labels, empty)
        return cls(labels, _train_crf(usable, labels, settings, seed))

    def tag(
        self,
        words: tuple[str, ...],
        marks: tuple[tuple[str, ...], ...],
        intent: str,
        slots: frozenset[str],
        vectors: Floats | None = None,
    ) -> list[TaggedSpan]:
        """Slot spans of the best label sequence using only ``slots``; ``vectors`` are the
        words' contextual vectors, for a tagger trained with them."""
        if not words:
            return []
        sentence = TaggedSentence(words, marks, (), intent)
        rows = Rows.from_lists([hash_features(row) for row in _rows(sentence)])
        scores = self.crf.emissions(rows, len(self.labels), vectors).astype(np.float64)
        usable = np.array([slot == "" or slot in slots for slot in self._slot_of])
        scores[:, ~usable] = -np.inf
        scores[0, self._inside] = -np.inf
        path = self._viterbi(scores)
        return self._spans(path, self._marginals(scores))

    def _viterbi(self, scores: NDArray[np.float64]) -> list[int]:
        best = scores[0]
        back = []
        for step in scores[1:]:
            total = best[:, None] + self._transition
            back.append(total.argmax(axis=0))
            best = total.max(axis=0) + step
        path = [int(best.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        return path[::-1]

    def _marginals(self, scores: NDArray[np.float64]) -> NDArray[np.float64]:
        """(tokens, labels) posterior probabilities under the same constraints."""
        n = len(scores)
        alpha = np.empty_like(scores)
        beta = np.zeros_like(scores)
        alpha[0] = scores[0]
        for i in range(1, n):
            alpha[i] = _logsumexp(alpha[i - 1][:, None] + self._transition, axis=0) + scores[i]
        for i in range(n - 2, -1, -1):
            beta[i] = _logsumexp(self._transition + (scores[i + 1] + beta[i + 1])[None, :], axis=1)
        log_z = _logsumexp(alpha[-1], axis=0)
        with np.errstate(invalid="ignore"):
            marginals = np.exp(alpha + beta - log_z)
        return np.nan_to_num(marginals)

    def _spans(self, path: list[int], marginals: NDArray[np.float64]) -> list[TaggedSpan]:
        spans: list[TaggedSpan] = []
        start: int | None = None
        for i, label in enumerate([*path, -1]):
            inside = label >= 0 and bool(self._inside[label])
            if start is not None and not inside:
                slot = self._slot_of[path[start]]
                confidence = float(np.mean([marginals[j, path[j]] for j in range(start, i)]))
                spans.append(TaggedSpan(slot, start, i, confidence))
                start = None
            if label >= 0 and self.labels[label].startswith("B-"):
                start = i
        return spans


def _logsumexp(values: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        result: NDArray[np.float64] = np.log(np.sum(np.exp(values - top), axis=axis)) + np.squeeze(
            top, axis=axis
        )
    return result
