"""Chinese word boundaries for the models' features, from the ``jieba`` segmenter.

The tokenizer makes every CJK character a token (``tokens``), which keeps the template matcher
and slot spans simple but hides where Chinese words begin and end. ``word_positions`` gives each
character its word back: its position in the word (``B`` first, ``M`` inside, ``E`` last, ``S``
a one-character word) and the word itself, so the slot tagger can prefer spans that start and end
on word boundaries (``周杰伦`` rather than ``杰伦的``).

jieba's dictionary loads once per process, on first use (about a second), quietly: its logger
is set to warnings only. Segmentation is deterministic (dictionary + HMM for unknown words).
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from ting.nlu.tokens import is_cjk

__all__ = ["WordPosition", "segmenter_version", "word_positions"]

WordPosition = tuple[str, str]
"""(position in the word: ``B``/``M``/``E``/``S``, the word)."""

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _cut() -> Callable[[str], list[str]] | None:
    """jieba's segmenter with its dictionary loaded, or None when jieba is not installed."""
    with _LOCK:
        try:
            with warnings.catch_warnings():
                # jieba imports pkg_resources when present, which warns that it is deprecated.
                warnings.simplefilter("ignore")
                import jieba
        except ImportError:
            _LOG.warning("jieba is not installed: Chinese NLU runs without word boundaries")
            return None
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()

        def cut(text: str) -> list[str]:
            return list(jieba.cut(text, HMM=True))

        return cut


@lru_cache(maxsize=1)
def segmenter_version() -> str | None:
    """What the models' Chinese features were computed with (part of the model cache key)."""
    try:
        return "jieba " + version("jieba")
    except PackageNotFoundError:
        return None


def word_positions(words: Sequence[str]) -> list[WordPosition | None]:
    """Per token: its position in its jieba word and the word, for the characters of each run
    of CJK tokens; None for other tokens (and for all when jieba is missing)."""
    positions: list[WordPosition | None] = [None] * len(words)
    if not any(is_cjk(word) for word in words):
        return positions
    cut = _cut()
    if cut is None:
        return positions
    i = 0
    while i < len(words):
        if not is_cjk(words[i]):
            i += 1
            continue
        end = i
        while end < len(words) and is_cjk(words[end]) and len(words[end]) == 1:
            end += 1
        if end == i:  # a multi-character CJK token (not made by ``tokens``)
            i += 1
            continue
        at = i
        for piece in cut("".join(words[i:end])):
            size = len(piece)
            for k in range(size):
                position = "S" if size == 1 else "B" if k == 0 else "E" if k == size - 1 else "M"
                positions[at + k] = (position, piece)
            at += size
        i = end
    return positions
