"""Fine-tuning the sentence encoder's top layers for the domain's intents, in numpy.

The frozen encoder's embedding is tuned for sentence similarity, not for telling one intent from
another: a logistic regression over it (``linear.DenseSoftmax``) adds little to the lexical
classifier once an intent has hundreds of examples. ``TunedLayers`` instead trains copies of the
encoder's top ``layers`` layers together with a softmax head over their mean-pooled, unit-length
output (scaled by ``scale``), with AdamW, dropout and a warm-up then linear decay of the learning
rate, as BERT is fine-tuned. The layers below stay the encoder's own, so their states are
computed once for the training sentences, and at run time they are the states the slot tagger's
word vectors already come from (``Reading``): an utterance consults the tuned layers at the
cost of the frozen ones they replace. Gradients are ``transformer.backward``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ting.nlu.encoder import SentenceEncoder, mean_pooled
from ting.nlu.linear import softmax
from ting.nlu.transformer import LayerWeights, backward, blocked, dropout_mask, forward, run

__all__ = ["TunedLayers", "TuningSettings"]

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class TuningSettings:
    """Chosen by 5-fold cross-validation on SNIPS train (docs/benchmarks.md)."""

    epochs: int = 0
    """Passes over the training sentences; 0 leaves the encoder as shipped (the logistic
    regression over its embeddings)."""
    layers: int = 1
    """How many of the encoder's top layers (of those run) are tuned."""
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    batch_size: int = 32
    dropout: float = 0.1
    scale: float = 20.0
    """The unit-length embedding times this gives the head room for confident scores."""
    warmup: float = 0.1
    """Share of the steps over which the learning rate rises from 0."""


@dataclass(frozen=True)
class TunedLayers:
    start: int
    """The first tuned layer (0-based): its input is the encoder's state after ``start``."""
    layers: list[LayerWeights]
    head: Floats
    """(dimension + 1, classes); the last row is the bias."""
    scale: float
    heads: int

    def probabilities(self, states: Floats, mask: Floats) -> Floats:
        """(sentences, classes) from the frozen encoder's states after ``start`` layers."""
        embedding = mean_pooled(run(states, mask, self.layers, self.heads), mask) * self.scale
        return softmax(embedding @ self.head[:-1] + self.head[-1])

    @classmethod
    def train(
        cls,
        encoder: SentenceEncoder,
        texts: Sequence[str],
        labels: NDArray[np.int64],
        n_classes: int,
        stop: int,
        settings: TuningSettings,
        seed: int,
    ) -> TunedLayers:
        """Tune layers ``stop - settings.layers`` to ``stop`` (exclusive) on ``texts``."""
        start = max(0, min(stop, encoder.depth) - settings.layers)
        rng = np.random.default_rng(seed)
        layers = [LayerWeights(*(a.copy() for a in encoder.layer(i))) for i in range(start, stop)]
        bound = 1.0 / np.sqrt(encoder.dimension)
        head = rng.uniform(-bound, bound, (encoder.dimension + 1, n_classes)).astype(np.float32)
        head[-1] = 0.0
        batches = [
            (states.astype(np.float16), mask, labels[rows])
            for rows, states, mask in encoder.states(texts, start, settings.batch_size)
        ]
        optimizer = _AdamW([a for layer in layers for a in layer] + [head], settings)
        total = settings.epochs * len(batches)
        for _ in range(settings.epochs):
            for b in rng.permutation(len(batches)):
                states, mask, batch_labels = batches[b]
                grads = _gradients(
                    layers, head, states.astype(np.float32), mask, batch_labels, settings,
                    encoder.heads, rng,
                )  # fmt: skip
                optimizer.step(grads, total)
        return cls(start, layers, head, settings.scale, encoder.heads)


def _gradients(
    layers: list[LayerWeights],
    head: Floats,
    states: Floats,
    mask: Floats,
    labels: NDArray[np.int64],
    settings: TuningSettings,
    heads: int,
    rng: np.random.Generator,
) -> list[Floats]:
    """The gradients of the mean cross-entropy of one batch, in the optimizer's order."""
    scores_mask = blocked(mask)
    saved = []
    x = states
    for w in layers:
        x, kept = forward(x, scores_mask, w, heads, settings.dropout, rng)
        saved.append(kept)
    counts = mask.sum(axis=1, keepdims=True)
    pooled = (x * mask[:, :, None]).sum(axis=1) / counts
    norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    unit = pooled / norms
    keep = dropout_mask(unit.shape, settings.dropout, rng)
    if keep is None:
        keep = np.ones_like(unit)
    embedding = unit * settings.scale * keep
    probabilities = softmax(embedding @ head[:-1] + head[-1])
    probabilities[np.arange(len(labels)), labels] -= 1.0
    d_scores = probabilities / len(labels)
    d_head = np.vstack([embedding.T @ d_scores, d_scores.sum(axis=0, keepdims=True)])
    d_unit = (d_scores @ head[:-1].T) * keep * settings.scale
    d_pooled = (d_unit - unit * (unit * d_unit).sum(axis=1, keepdims=True)) / norms
    d_x = (d_pooled / counts)[:, None, :] * mask[:, :, None]
    layer_grads: list[LayerWeights] = []
    for w, kept in zip(reversed(layers), reversed(saved), strict=True):
        d_x, grads = backward(d_x.astype(np.float32), kept, w, heads)
        layer_grads.append(grads)
    flat = [g for grads in reversed(layer_grads) for g in grads]
    return [*flat, d_head.astype(np.float32)]


class _AdamW:
    """Adam with decoupled weight decay, updating the given arrays in place."""

    def __init__(self, params: list[Floats], settings: TuningSettings) -> None:
        self.params = params
        self.settings = settings
        self.first = [np.zeros_like(p) for p in params]
        self.second = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[Floats], total: int) -> None:
        self.t += 1
        s = self.settings
        warm = max(1.0, s.warmup * total)
        decay = max(0.0, (total - self.t) / max(1.0, total - warm))
        rate = s.learning_rate * min(self.t / warm, decay)
        beta1, beta2 = 0.9, 0.999
        correction1, correction2 = 1 - beta1**self.t, 1 - beta2**self.t
        for p, g, m, v in zip(self.params, grads, self.first, self.second, strict=True):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p *= 1 - rate * s.weight_decay
            p -= rate * (m / correction1) / (np.sqrt(v / correction2) + 1e-8)
