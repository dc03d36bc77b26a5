"""Contextual word vectors for the slot tagger, from the optional sentence encoder.

The encoder's last-layer state of each word (the mean over its word pieces) says what the word
is doing in this sentence ("queen" the band or the monarch), which the tagger's feature strings
cannot. The 384 dimensions are projected to a few by principal components, scaled to unit
variance (``WordProjection``, fitted on the training sentences and saved with the model), and
reach the CRF as weighted attributes (``tagger.DENSE``). English only, like the encoder.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ting.nlu.encoder import SentenceEncoder

__all__ = ["ContextVectors", "WordProjection"]

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class WordProjection:
    mean: Floats
    """(dimension,) the mean word vector of the training sentences."""
    matrix: Floats
    """(dimension, k) principal directions, each divided by its standard deviation."""

    @classmethod
    def fit(cls, vectors: Floats, dimensions: int) -> WordProjection:
        """Whitened principal components of ``vectors`` (words, dimension)."""
        mean = vectors.mean(axis=0)
        _, spread, directions = np.linalg.svd(vectors - mean, full_matrices=False)
        k = min(dimensions, len(spread))
        scale = np.maximum(spread[:k] / np.sqrt(len(vectors)), 1e-6)
        return cls(mean.astype(np.float32), (directions[:k].T / scale).astype(np.float32))

    def apply(self, vectors: Floats) -> Floats:
        projected: Floats = ((vectors - self.mean) @ self.matrix).astype(np.float32)
        return projected


class ContextVectors:
    """Projected contextual vectors of the words of sentences, after ``layers`` layers."""

    def __init__(self, encoder: SentenceEncoder, projection: WordProjection, layers: int) -> None:
        self.encoder, self.projection, self.layers = encoder, projection, layers

    @classmethod
    def fit(
        cls,
        encoder: SentenceEncoder,
        sentences: Sequence[Sequence[str]],
        dimensions: int,
        layers: int,
        sample: int = 2000,
        seed: int = 0,
    ) -> ContextVectors:
        """A projection fitted on the words of (at most ``sample`` of) ``sentences``."""
        chosen = list(sentences)
        if len(chosen) > sample:
            chosen = random.Random(seed).sample(chosen, sample)
        vectors = np.concatenate([v for v in encoder.word_vectors(chosen, layers) if len(v)])
        return cls(encoder, WordProjection.fit(vectors, dimensions), layers)

    def of(self, sentences: Sequence[Sequence[str]]) -> list[Floats]:
        """Per sentence, (words, k) projected vectors."""
        return [self.projection.apply(v) for v in self.encoder.word_vectors(sentences, self.layers)]
