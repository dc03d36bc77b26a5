"""Contextual word vectors for the slot tagger, from the optional sentence encoder.

The encoder's state of each word after a few layers (``SentenceEncoder.word_vectors``, the mean
over its word pieces) says what the word is doing in this sentence ("queen" the band or the
monarch), which the tagger's feature strings cannot. The 384 dimensions are projected to a few
by principal components, scaled to unit variance (``WordProjection``, fitted on the training
sentences and saved with the model), and reach the CRF as weighted attributes
(``tagger.DENSE``). English only, like the encoder.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["WordProjection"]

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class WordProjection:
    mean: Floats
    """(dimension,) the mean word vector of the training sentences."""
    matrix: Floats
    """(dimension, k) principal directions, each divided by its standard deviation."""

    @classmethod
    def fit(
        cls, sentences: Sequence[Floats], dimensions: int, sample: int = 2000, seed: int = 0
    ) -> WordProjection:
        """Whitened principal components of the word vectors of (at most ``sample`` of)
        ``sentences``, each a (words, dimension) array."""
        chosen = list(sentences)
        if len(chosen) > sample:
            chosen = random.Random(seed).sample(chosen, sample)
        vectors = np.concatenate([v for v in chosen if len(v)])
        mean = vectors.mean(axis=0)
        _, spread, directions = np.linalg.svd(vectors - mean, full_matrices=False)
        k = min(dimensions, len(spread))
        scale = np.maximum(spread[:k] / np.sqrt(len(vectors)), 1e-6)
        return cls(mean.astype(np.float32), (directions[:k].T / scale).astype(np.float32))

    def apply(self, vectors: Floats) -> Floats:
        projected: Floats = ((vectors - self.mean) @ self.matrix).astype(np.float32)
        return projected
