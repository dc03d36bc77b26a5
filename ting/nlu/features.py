"""Feature strings for the intent classifier (per sentence) and the slot tagger (per token).

Words are the tokens of ``tokens`` (a Latin word, a number, or one CJK character), so word
n-grams over Chinese are character n-grams. List synonyms found in the sentence add gazetteer
features (``list=room``), which lets the models generalize to list values they never saw in
a given sentence shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ting.nlu.linear import BIAS
from ting.nlu.slots import ListIndex
from ting.nlu.tokens import is_cjk

__all__ = ["gazetteer", "sentence_features", "token_features"]

_NUMBER = re.compile(r"-?\d")
_ZH_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万半")


def gazetteer(words: Sequence[str], indexes: Mapping[str, ListIndex]) -> list[list[str]]:
    """Per word, the ``B:list`` / ``I:list`` marks of the longest synonyms covering it."""
    marks: list[list[str]] = [[] for _ in words]
    key = tuple(words)
    for name, index in indexes.items():
        start = 0
        while start < len(key):
            ends = index.ends(key, start)
            if not ends:
                start += 1
                continue
            end = ends[0][0]
            marks[start].append("B:" + name)
            for inside in range(start + 1, end):
                marks[inside].append("I:" + name)
            start = end
    return marks


def _shape(word: str) -> str:
    if _NUMBER.match(word):
        return "num"
    if is_cjk(word):
        return "zhnum" if word in _ZH_NUMERALS else "cjk"
    return "latin"


def sentence_features(words: Sequence[str], marks: Sequence[Sequence[str]]) -> list[str]:
    features = [BIAS]
    padded = ["<s>", *words, "</s>"]
    for i, word in enumerate(words):
        features.append("w=" + word)
        if _shape(word) == "num":
            features.append("w=<num>")
        if not is_cjk(word) and len(word) > 3:
            features.extend(f"c={word[j : j + 4]}" for j in range(len(word) - 3))
        features.extend("g=" + mark[2:] for mark in marks[i] if mark[0] == "B")
    for i in range(len(padded) - 1):
        features.append(f"b={padded[i]}_{padded[i + 1]}")
    for i in range(len(words) - 2):
        features.append(f"k={words[i]}_{words[i + 2]}")
        if is_cjk(words[i]) or is_cjk(words[i + 1]):
            features.append(f"t={words[i]}{words[i + 1]}{words[i + 2]}")
    abstract = ["<s>", *_abstracted(words, marks), "</s>"]
    features.extend(f"a={abstract[i]}_{abstract[i + 1]}" for i in range(len(abstract) - 1))
    return features


def _abstracted(words: Sequence[str], marks: Sequence[Sequence[str]]) -> list[str]:
    """Words with list synonyms replaced by their list name and numbers by ``<num>``."""
    result: list[str] = []
    for word, word_marks in zip(words, marks, strict=True):
        begins = [mark[2:] for mark in word_marks if mark[0] == "B"]
        if begins:
            result.append("<" + begins[0] + ">")
        elif not word_marks:
            result.append("<num>" if _shape(word) == "num" else word)
    return result


def token_features(
    words: Sequence[str], marks: Sequence[Sequence[str]], i: int, intent: str
) -> list[str]:
    word = words[i]
    before = words[i - 1] if i > 0 else "<s>"
    before2 = words[i - 2] if i > 1 else "<s>"
    after = words[i + 1] if i + 1 < len(words) else "</s>"
    after2 = words[i + 2] if i + 2 < len(words) else "</s>"
    features = [
        BIAS,
        "w=" + word,
        "p=" + before,
        "n=" + after,
        "pp=" + before2,
        "nn=" + after2,
        f"pw={before}_{word}",
        f"wn={word}_{after}",
        f"ppp={before2}_{before}",
        f"nnn={after}_{after2}",
        "s=" + _shape(word),
        f"sp={_shape(before)}_{_shape(word)}_{_shape(after)}",
        "i=" + intent,
    ]
    if not is_cjk(word):
        features.extend(("pre=" + word[:3], "suf=" + word[-3:]))
    features.extend("g=" + mark for mark in marks[i])
    if i > 0:
        features.extend("pg=" + mark for mark in marks[i - 1])
    if i + 1 < len(words):
        features.extend("ng=" + mark for mark in marks[i + 1])
    return features
