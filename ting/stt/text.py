"""Text clean-up for recognizer output: Simplified Chinese, repetition loops, prompts.

Whisper often writes Mandarin in Traditional characters; Ting's NLU and replies use Simplified,
so Chinese output is converted (OpenCC tables via the pure-Python ``opencc`` package from
``opencc-python-reimplemented``; without it the Simplified prompt alone steers the model).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
import zlib
from collections.abc import Callable, Iterable, Sequence

_LOGGER = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@functools.cache
def _t2s() -> Callable[[str], str] | None:
    if importlib.util.find_spec("opencc") is None:
        _LOGGER.warning("opencc is not installed: Chinese output may stay Traditional")
        return None
    try:
        from opencc import OpenCC

        converter = OpenCC("t2s")
    except Exception as error:  # a different "opencc" distribution, or broken tables
        _LOGGER.warning("cannot load the Traditional→Simplified converter: %s", error)
        return None
    convert: Callable[[str], str] = converter.convert
    return convert


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese; text without Chinese passes through unchanged."""
    if not has_cjk(text):
        return text
    convert = _t2s()
    return convert(text) if convert is not None else text


def compression_ratio(text: str) -> float:
    """Bytes over zlib-compressed bytes; runaway repetition compresses far better than speech."""
    raw = text.encode("utf-8")
    if not raw:
        return 0.0
    return len(raw) / len(zlib.compress(raw))


def collapse_repeats(text: str, *, max_repeats: int = 2, max_ngram: int = 8) -> str:
    """Cut a loop of the same n-gram (words, or characters for Chinese) repeated more than
    ``max_repeats`` times in a row down to ``max_repeats``; normal text is untouched."""
    units = _units(text)
    if len(units) <= max_repeats:
        return text
    out: list[str] = []
    changed = False
    i = 0
    while i < len(units):
        cut = False
        for n in range(1, max_ngram + 1):
            gram = units[i : i + n]
            if len(gram) < n:
                break
            repeats = 1
            while units[i + repeats * n : i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats > max_repeats:
                out.extend(gram * max_repeats)
                i += repeats * n
                cut = changed = True
                break
        if not cut:
            out.append(units[i])
            i += 1
    return _join(out) if changed else text


def drop_repeated_utterance(text: str, *, min_echo: int = 2) -> str:
    """ "What time is it? What time is it? What time" -> "What time is it?": the text read again
    from its start (whole copies, then a cut-off one). Whisper does that when its decoder does
    not find the end of the speech (see ``whisper_decoder``); a spoken command is not its own
    echo. Units are words, or characters for Chinese; the first copy must be at least two units
    long and the echo at least ``min_echo``, so "no no" and "谢谢" stay."""
    units = _units(text)
    keys = [_PUNCTUATION.sub("", unit).lower() for unit in units]
    spoken = [k for k in keys if k]
    for size in range(2, len(spoken) - min_echo + 1):
        head = spoken[:size]
        echo = spoken[size:]
        if all(word == head[i % size] for i, word in enumerate(echo)):
            kept, seen = [], 0
            for unit, key in zip(units, keys, strict=True):
                kept.append(unit)
                seen += bool(key)
                if seen == size:
                    break
            return _join(kept)
    return text


_PUNCTUATION = re.compile(r"[^\w\u3400-\u9fff]+")
_UNIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")


def _units(text: str) -> list[str]:
    return _UNIT.findall(text)


def _join(units: Sequence[str]) -> str:
    text = ""
    for unit in units:
        if text and not (has_cjk(unit[:1]) and has_cjk(text[-1:])):
            text += " "
        text += unit
    return text


def prompt_terms(vocabulary: Iterable[str], *, chinese: bool) -> list[str]:
    """The vocabulary terms for one prompt: Chinese terms for a Chinese prompt, the others for
    English; de-duplicated, order kept (callers put the most useful first)."""
    seen: set[str] = set()
    terms = []
    for raw in vocabulary:
        term = " ".join(raw.split())
        if not term or term.lower() in seen or has_cjk(term) != chinese:
            continue
        seen.add(term.lower())
        terms.append(term)
    return terms
