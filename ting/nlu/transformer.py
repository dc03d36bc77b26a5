"""One BERT encoder layer in numpy: the forward pass (``encoder`` runs it) and its gradients
(``tuning`` fine-tunes copies of the top layers with them).

A layer's weights are the 12 arrays of ``LayerWeights`` in BERT's order: the query, key and
value projections side by side (``qkv``), the attention output, its layer norm, the feed-forward
block (GELU) and its layer norm, each with a residual connection (post-norm, as BERT).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "LayerWeights",
    "backward",
    "blocked",
    "dropout_mask",
    "forward",
    "gelu",
    "layer_norm",
    "run",
]

Floats = NDArray[np.floating[Any]]
"""float32 in the engine; float64 works too (the gradient checks use it)."""


class LayerWeights(NamedTuple):
    qkv_w: Floats
    """(dimension, 3 × dimension): query, key and value projections side by side."""
    qkv_b: Floats
    out_w: Floats
    out_b: Floats
    norm1_w: Floats
    norm1_b: Floats
    inner_w: Floats
    """(dimension, feed-forward width)."""
    inner_b: Floats
    ff_w: Floats
    ff_b: Floats
    norm2_w: Floats
    norm2_b: Floats


def layer_norm(x: Floats, weight: Floats, bias: Floats, eps: float = 1e-12) -> Floats:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Floats = (x - mean) / np.sqrt(var + eps) * weight + bias
    return out


def _erf(x: Floats) -> Floats:
    """erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: Floats = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return out


def gelu(x: Floats) -> Floats:
    """GELU with erf (BERT's)."""
    out: Floats = (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(np.float32)
    return out


def _gelu_slope(x: Floats) -> Floats:
    cdf = 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
    out: Floats = cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return out


def blocked(mask: Floats) -> Floats:
    """Additive attention scores that keep every piece from attending to padding."""
    out: Floats = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
    return out


@dataclass
class _Saved:
    """What the forward pass keeps for the gradients."""

    x: Floats
    q: Floats
    k: Floats
    v: Floats
    attention: Floats
    context: Floats
    drop1: Floats | None
    hidden1: Floats
    norm1: tuple[Floats, Floats]
    inner: Floats
    activated: Floats
    drop2: Floats | None
    norm2: tuple[Floats, Floats]


def _split(x: Floats, heads: int) -> Floats:
    n, width, dimension = x.shape
    out: Floats = x.reshape(n, width, heads, dimension // heads).transpose(0, 2, 1, 3)
    return out


def _merge(x: Floats) -> Floats:
    n, heads, width, size = x.shape
    out: Floats = x.transpose(0, 2, 1, 3).reshape(n, width, heads * size)
    return out


def _normalized(x: Floats, eps: float = 1e-12) -> tuple[Floats, Floats]:
    """``x`` normalized over its last axis, and 1 / its standard deviation (for ``backward``)."""
    mean = x.mean(axis=-1, keepdims=True)
    inverse = 1.0 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + eps)
    return ((x - mean) * inverse).astype(np.float32), inverse.astype(np.float32)


def forward(
    x: Floats,
    scores_mask: Floats,
    w: LayerWeights,
    heads: int,
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
) -> tuple[Floats, _Saved]:
    """The layer applied to ``x`` (batch, pieces, dimension), with ``blocked(mask)``, and what
    ``backward`` needs. ``dropout`` (training only) drops units of both residual branches."""
    dimension = x.shape[-1]
    size = dimension // heads
    q, k, v = (_split(part, heads) for part in np.split(x @ w.qkv_w + w.qkv_b, 3, axis=-1))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + scores_mask
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    attention = (scores / scores.sum(axis=-1, keepdims=True)).astype(np.float32)
    context = _merge(attention @ v)
    branch = context @ w.out_w + w.out_b
    drop1 = dropout_mask(branch.shape, dropout, rng)
    hat1, inverse1 = _normalized(x + (branch * drop1 if drop1 is not None else branch))
    hidden1 = hat1 * w.norm1_w + w.norm1_b
    inner = hidden1 @ w.inner_w + w.inner_b
    activated = gelu(inner)
    branch = activated @ w.ff_w + w.ff_b
    drop2 = dropout_mask(branch.shape, dropout, rng)
    hat2, inverse2 = _normalized(hidden1 + (branch * drop2 if drop2 is not None else branch))
    out: Floats = (hat2 * w.norm2_w + w.norm2_b).astype(np.float32)
    saved = _Saved(
        x, q, k, v, attention, context, drop1, hidden1, (hat1, inverse1), inner, activated, drop2,
        (hat2, inverse2),
    )  # fmt: skip
    return out, saved


def run(x: Floats, mask: Floats, layers: list[LayerWeights], heads: int) -> Floats:
    """The states after ``layers`` applied in turn (inference)."""
    scores_mask = blocked(mask)
    for w in layers:
        x = forward(x, scores_mask, w, heads)[0]
    return x


def dropout_mask(
    shape: tuple[int, ...], rate: float, rng: np.random.Generator | None
) -> Floats | None:
    """Inverted dropout: kept units scaled by 1 / (1 - rate); None when nothing is dropped."""
    if rate <= 0 or rng is None:
        return None
    keep: Floats = ((rng.random(shape) >= rate) / (1.0 - rate)).astype(np.float32)
    return keep


def _norm_backward(grad: Floats, hat: Floats, inverse: Floats, weight: Floats) -> Floats:
    g = grad * weight
    out: Floats = (
        g - g.mean(axis=-1, keepdims=True) - hat * (g * hat).mean(axis=-1, keepdims=True)
    ) * inverse
    return out


def _sum_rows(x: Floats) -> Floats:
    out: Floats = x.reshape(-1, x.shape[-1]).sum(axis=0)
    return out


def _weight_grad(inputs: Floats, grad: Floats) -> Floats:
    out: Floats = inputs.reshape(-1, inputs.shape[-1]).T @ grad.reshape(-1, grad.shape[-1])
    return out


def backward(grad: Floats, s: _Saved, w: LayerWeights, heads: int) -> tuple[Floats, LayerWeights]:
    """The gradients of the input and of the weights, given the gradient of the output."""
    hat2, inverse2 = s.norm2
    d_norm2_w, d_norm2_b = _sum_rows(grad * hat2), _sum_rows(grad)
    d_sum2 = _norm_backward(grad, hat2, inverse2, w.norm2_w)
    d_branch = d_sum2 * s.drop2 if s.drop2 is not None else d_sum2
    d_ff_w, d_ff_b = _weight_grad(s.activated, d_branch), _sum_rows(d_branch)
    d_inner = (d_branch @ w.ff_w.T) * _gelu_slope(s.inner)
    d_inner_w, d_inner_b = _weight_grad(s.hidden1, d_inner), _sum_rows(d_inner)
    d_hidden1 = d_sum2 + d_inner @ w.inner_w.T
    hat1, inverse1 = s.norm1
    d_norm1_w, d_norm1_b = _sum_rows(d_hidden1 * hat1), _sum_rows(d_hidden1)
    d_sum1 = _norm_backward(d_hidden1, hat1, inverse1, w.norm1_w)
    d_branch = d_sum1 * s.drop1 if s.drop1 is not None else d_sum1
    d_out_w, d_out_b = _weight_grad(s.context, d_branch), _sum_rows(d_branch)
    d_context = _split(d_branch @ w.out_w.T, heads)
    d_attention = d_context @ s.v.transpose(0, 1, 3, 2)
    d_v = s.attention.transpose(0, 1, 3, 2) @ d_context
    d_scores = s.attention * (d_attention - (d_attention * s.attention).sum(-1, keepdims=True))
    d_scores /= math.sqrt(s.q.shape[-1])
    d_q, d_k = d_scores @ s.k, d_scores.transpose(0, 1, 3, 2) @ s.q
    d_qkv = np.concatenate([_merge(d_q), _merge(d_k), _merge(d_v)], axis=-1)
    d_qkv_w, d_qkv_b = _weight_grad(s.x, d_qkv), _sum_rows(d_qkv)
    d_x: Floats = (d_sum1 + d_qkv @ w.qkv_w.T).astype(np.float32)
    grads = LayerWeights(
        d_qkv_w, d_qkv_b, d_out_w, d_out_b, d_norm1_w, d_norm1_b, d_inner_w, d_inner_b,
        d_ff_w, d_ff_b, d_norm2_w, d_norm2_b,
    )  # fmt: skip
    return d_x, grads
