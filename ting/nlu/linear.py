"""Multinomial logistic regression over sparse features, in numpy.

Features are strings hashed with CRC-32 (stable across processes, unlike ``hash``); only the
hashes seen in training get a weight row, so a model is two small arrays: the sorted hashes and
their weights. Training is deterministic: mini-batch AdaGrad with L2 from a seeded generator.
The intent classifier is this model; the slot tagger reuses ``Rows`` and ``hash_features``.

A row's feature values are what ``Rows.counted`` makes of its list of hashes: a feature seen
``c`` times weighs ``1 + log c`` (sublinear term frequency); the model then scales each row's
known features to unit length, ``BIAS`` apart (it stays 1), as TF-IDF vectorizers do with the
terms of their vocabulary. Without the scaling a long sentence's score is the sum of many more
weights than a short one's, which made the classifier both underfit the benchmarks (SNIPS, CAIS,
few-shot: it trailed a TF-IDF + linear SVM floor) and overconfident on repetitive input.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BIAS",
    "DenseSettings",
    "DenseSoftmax",
    "Rows",
    "SoftmaxModel",
    "TrainSettings",
    "hash_features",
    "softmax",
]

BIAS = "bias"
"""Every row carries this feature, so no row is empty and the model learns a prior."""

Floats = NDArray[np.float32]
Ints = NDArray[np.int64]


def hash_features(features: Sequence[str]) -> list[int]:
    return [zlib.crc32(feature.encode()) for feature in features]


_BIAS_HASH = hash_features([BIAS])[0]


@dataclass(frozen=True)
class Rows:
    """Sparse rows in CSR form over feature hashes, with a value per entry."""

    indptr: Ints
    hashes: NDArray[np.uint32]
    values: Floats

    @classmethod
    def from_lists(cls, rows: Sequence[Sequence[int]]) -> Rows:
        """Binary rows, as given (a repeated hash is two entries)."""
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = np.fromiter((h for row in rows for h in row), dtype=np.uint32, count=int(indptr[-1]))
        return cls(indptr, flat, np.ones(len(flat), np.float32))

    @classmethod
    def counted(cls, rows: Sequence[Sequence[int]]) -> Rows:
        """Rows of distinct hashes, each weighing ``1 + log(count)``."""
        indptr = [0]
        hashes: list[int] = []
        values: list[float] = []
        for row in rows:
            counts: dict[int, int] = {}
            for h in row:
                counts[h] = counts.get(h, 0) + 1
            hashes.extend(counts)
            values.extend(1.0 + math.log(c) for c in counts.values())
            indptr.append(len(hashes))
        return cls(
            np.array(indptr, np.int64), np.array(hashes, np.uint32), np.array(values, np.float32)
        )

    def __len__(self) -> int:
        return len(self.indptr) - 1


@dataclass(frozen=True)
class TrainSettings:
    """Chosen on SNIPS dev, CAIS valid and few-shot draws from the 2017 SNIPS training files
    (tested on other training queries), never on a test split; see docs/benchmarks.md."""

    epochs: int = 15
    """Passes over the training data."""
    batch_size: int = 32
    """Rows per AdaGrad step."""
    learning_rate: float = 0.5
    l2: float = 1e-4
    """L2 penalty per step on the rows a batch touches."""


class SoftmaxModel:
    """Class scores = sum of the weight rows of a row's known features."""

    def __init__(self, vocabulary: NDArray[np.uint32], weights: Floats) -> None:
        self.vocabulary = vocabulary
        self.weights = weights

    @property
    def n_classes(self) -> int:
        return int(self.weights.shape[1])

    def _index(self, hashes: NDArray[np.uint32]) -> tuple[Ints, NDArray[np.bool_]]:
        index = np.searchsorted(self.vocabulary, hashes)
        index[index >= len(self.vocabulary)] = 0
        return index.astype(np.int64), self.vocabulary[index] == hashes

    def probabilities(self, rows: Rows) -> Floats:
        """(rows, classes) probabilities; unknown features are ignored."""
        index, known = self._index(rows.hashes)
        values = _unit_rows(rows, rows.values * known)
        gathered = self.weights[index] * values[:, None]
        scores = np.add.reduceat(gathered, rows.indptr[:-1], axis=0)
        return softmax(scores)

    @classmethod
    def train(
        cls,
        rows: Rows,
        labels: Ints,
        n_classes: int,
        settings: TrainSettings,
        seed: int,
        weights: Floats | None = None,
    ) -> SoftmaxModel:
        """Fit on ``rows`` (each with the ``BIAS`` feature, none empty) and integer ``labels``."""
        vocabulary, flat = np.unique(rows.hashes, return_inverse=True)
        trainer = _AdaGrad(len(vocabulary), n_classes, settings)
        row_weights = np.ones(len(rows), np.float32) if weights is None else weights
        rng = np.random.default_rng(seed)
        lengths = np.diff(rows.indptr)
        values = _unit_rows(rows, rows.values)
        for _ in range(settings.epochs):
            order = rng.permutation(len(rows))
            for first in range(0, len(order), settings.batch_size):
                batch = order[first : first + settings.batch_size]
                positions, segment = _gather(rows.indptr, lengths, batch)
                trainer.step(
                    flat[positions],
                    values[positions],
                    segment,
                    labels[batch],
                    row_weights[batch],
                )
        return cls(vocabulary.astype(np.uint32), trainer.weights)


def _unit_rows(rows: Rows, values: Floats) -> Floats:
    """``values`` with each row's features other than ``BIAS`` scaled to unit length."""
    plain = rows.hashes != _BIAS_HASH
    squares = np.add.reduceat(np.where(plain, values * values, 0.0), rows.indptr[:-1])
    squares[np.diff(rows.indptr) == 0] = 0.0
    scale = 1.0 / np.sqrt(np.maximum(squares, 1e-12))
    per_entry = np.repeat(scale, np.diff(rows.indptr))
    result: Floats = np.where(plain, values * per_entry, values).astype(np.float32)
    return result


def _gather(indptr: Ints, lengths: Ints, batch: Ints) -> tuple[Ints, Ints]:
    """Flat positions of the features of ``batch`` rows, and the batch row of each."""
    sizes = lengths[batch]
    segment = np.repeat(np.arange(len(batch)), sizes)
    starts = np.repeat(indptr[batch] - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    return starts + np.arange(int(sizes.sum())), segment


class _AdaGrad:
    def __init__(self, n_features: int, n_classes: int, settings: TrainSettings) -> None:
        self.weights = np.zeros((n_features, n_classes), np.float32)
        self.squares = np.full((n_features, n_classes), 1e-6, np.float32)
        self.settings = settings

    def step(
        self, features: Ints, values: Floats, segment: Ints, labels: Ints, weights: Floats
    ) -> None:
        starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
        scores = np.add.reduceat(self.weights[features] * values[:, None], starts, axis=0)
        grad = softmax(scores)
        grad[np.arange(len(labels)), labels] -= 1.0
        grad *= weights[:, None]
        order = np.argsort(features, kind="stable")
        sorted_features = features[order]
        firsts = np.flatnonzero(np.r_[True, sorted_features[1:] != sorted_features[:-1]])
        touched = sorted_features[firsts]
        row_grad = np.add.reduceat(grad[segment[order]] * values[order, None], firsts, axis=0)
        row_grad += self.settings.l2 * self.weights[touched]
        self.squares[touched] += row_grad * row_grad
        self.weights[touched] -= (
            self.settings.learning_rate * row_grad / np.sqrt(self.squares[touched])
        )


def softmax(scores: NDArray[np.floating]) -> Floats:
    """Row-wise softmax (rows of class scores → probabilities)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: Floats = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return result


@dataclass(frozen=True)
class DenseSettings:
    """The logistic regression over sentence embeddings (chosen like ``TrainSettings``)."""

    l2: float = 1e-4
    iterations: int = 300
    """Full-batch steps (Nesterov momentum 0.9, step 1.0: the rows are unit-length)."""


class DenseSoftmax:
    """Multinomial logistic regression over dense rows (sentence embeddings), with a bias."""

    def __init__(self, weights: Floats) -> None:
        self.weights = weights
        """(features + 1, classes); the last row is the bias."""

    def probabilities(self, rows: Floats) -> Floats:
        return softmax(rows @ self.weights[:-1] + self.weights[-1])

    @classmethod
    def train(
        cls, rows: Floats, labels: Ints, n_classes: int, settings: DenseSettings
    ) -> DenseSoftmax:
        """Full-batch gradient descent with Nesterov momentum (deterministic, convex)."""
        n = len(rows)
        x = np.hstack([rows, np.ones((n, 1), np.float32)]).astype(np.float32)
        targets = np.zeros((n, n_classes), np.float32)
        targets[np.arange(n), labels] = 1.0
        weights = np.zeros((x.shape[1], n_classes), np.float32)
        velocity = np.zeros_like(weights)
        for _ in range(settings.iterations):
            ahead = weights + 0.9 * velocity
            grad = x.T @ (softmax(x @ ahead) - targets) / n + settings.l2 * ahead
            velocity = 0.9 * velocity - grad
            weights = weights + velocity
        return cls(weights.astype(np.float32))
