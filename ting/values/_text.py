"""Text folding shared by every value parser.

Parsers see slot text, so inputs are short; anything longer than ``MAX_INPUT_CHARS`` is not a
value and parses to None. Folding is NFKC (full-width digits and punctuation become ASCII, ``℃``
becomes ``°c``), lower case, a few traditional characters mapped to simplified ones, control
characters turned into spaces, runs of spaces collapsed and edge punctuation stripped.
"""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT_CHARS = 256
"""Longer texts are not slot values; parsers return None for them."""

_TRADITIONAL = str.maketrans(
    {
        "兩": "两",
        "點": "点",
        "號": "号",
        "鐘": "钟",
        "後": "后",
        "時": "时",
        "週": "周",
        "個": "个",
        "萬": "万",
        "億": "亿",
        "禮": "礼",
        "華": "华",
        "攝": "摄",
        "負": "负",
        "−": "-",
        "–": "-",
        "’": "'",
        "‘": "'",
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " .,!?;:'\"。，！？；：、…"


def fold_char(char: str) -> str:
    """Fold one character the way ``normalize`` does, but always to exactly one character."""
    folded = unicodedata.normalize("NFKC", char).lower().translate(_TRADITIONAL)
    if len(folded) != 1:
        return char
    return " " if _CONTROL.match(folded) else folded


_SPACE_BY_HAN = re.compile(r"(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])")
"""Spaces mean nothing in Chinese: "7 点半" and "5 分钟" read as "7点半" and "5分钟"."""


def normalize(text: str) -> str | None:
    """The folded text, or None when it is not a string, empty after folding, or too long."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    folded = unicodedata.normalize("NFKC", text).lower().translate(_TRADITIONAL)
    folded = _CONTROL.sub(" ", folded)
    folded = _SPACES.sub(" ", folded).strip(_EDGE_PUNCTUATION)
    folded = _SPACE_BY_HAN.sub("", folded)
    return folded or None
