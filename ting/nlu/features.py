"""Feature strings for the intent classifier (per sentence) and the slot tagger (per token).

Words are the tokens of ``tokens`` (a Latin word, a number, or one CJK character), so word
n-grams over Chinese are character n-grams. List synonyms found in the sentence add gazetteer
features (``list=room``), which lets the models generalize to list values they never saw in
a given sentence shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ting.nlu.linear import BIAS
from ting.nlu.segment import WordPosition
from ting.nlu.tokens import is_cjk

if TYPE_CHECKING:
    from ting.nlu.slots import ListIndex

__all__ = [
    "LEARNED",
    "WORD_CLASS",
    "ValueGazetteer",
    "case_marks",
    "gazetteer",
    "sentence_features",
    "token_features",
]

LEARNED = "~"
"""Prefix of the marks of slot values learned from examples (``B:~artist``), as opposed to the
synonyms of the domain's lists (``B:room``)."""

WORD_CLASS = "W:"
"""Prefix of the marks of the value backend's phrase classes (``W:weekday``, ``W:country`` and
``W:I-country`` on a name's further words); like the case marks, they reach the slot tagger only
(the intent features read ``B``/``I`` marks)."""

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


def case_marks(written: Sequence[str]) -> list[tuple[str, ...]]:
    """Per token as written: ``C:title`` (``Radiohead``) or ``C:upper`` (``ABBA``), which often
    marks a name in what speech recognition writes; nothing for lower case, for words without
    case (numbers, Chinese) and for the first token, capitalized in any sentence."""
    marks: list[tuple[str, ...]] = []
    for i, word in enumerate(written):
        if i == 0 or not word[:1].isupper():
            marks.append(())
        elif len(word) > 1 and word.isupper():
            marks.append(("C:upper",))
        else:
            marks.append(("C:title",))
    return marks


class ValueGazetteer:
    """Phrases by the slots (or classes) they are values of, marked wherever they appear: a
    custom entity the models saw once (``[miles davis](artist)``) marks its words when it
    reappears (``B:~artist``, ``I:~artist``); with other prefixes, the value backend's phrase
    classes (``W:country``, ``W:I-country``)."""

    def __init__(
        self,
        phrases: Mapping[tuple[str, ...], frozenset[str]],
        begin: str = "B:" + LEARNED,
        inside: str = "I:" + LEARNED,
    ) -> None:
        self.phrases = dict(phrases)
        self.longest = max((len(p) for p in self.phrases), default=0)
        self.begin, self.inside = begin, inside

    @classmethod
    def build(
        cls,
        values: Sequence[tuple[str, tuple[str, ...]]],
        max_words: int = 8,
        begin: str = "B:" + LEARNED,
        inside: str = "I:" + LEARNED,
    ) -> ValueGazetteer:
        """From ``(slot, words)`` pairs; values longer than ``max_words`` are left out."""
        phrases: dict[tuple[str, ...], set[str]] = {}
        for slot, words in values:
            if 0 < len(words) <= max_words:
                phrases.setdefault(words, set()).add(slot)
        return cls({words: frozenset(slots) for words, slots in phrases.items()}, begin, inside)

    def mark(self, words: Sequence[str], marks: list[list[str]]) -> None:
        """Add the begin / inside marks of the longest values (per slot, left to right, not
        overlapping) to ``marks``."""
        if not self.phrases:
            return
        key = tuple(words)
        free_from: dict[str, int] = {}
        for start in range(len(key)):
            for end in range(min(len(key), start + self.longest), start, -1):
                slots = self.phrases.get(key[start:end])
                if not slots:
                    continue
                for slot in sorted(slots):
                    if free_from.get(slot, 0) > start:
                        continue
                    free_from[slot] = end
                    marks[start].append(self.begin + slot)
                    for inside in range(start + 1, end):
                        marks[inside].append(self.inside + slot)


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
    for word, all_marks in zip(words, marks, strict=True):
        word_marks = [mark for mark in all_marks if mark[0] in "BI" and mark[2] != LEARNED]
        begins = [mark[2:] for mark in word_marks if mark[0] == "B"]
        if begins:
            result.append("<" + begins[0] + ">")
        elif not word_marks:
            result.append("<num>" if _shape(word) == "num" else word)
    return result


def token_features(
    words: Sequence[str],
    marks: Sequence[Sequence[str]],
    i: int,
    intent: str,
    segments: Sequence[WordPosition | None] = (),
) -> list[str]:
    word = words[i]
    before = words[i - 1] if i > 0 else "<s>"
    before2 = words[i - 2] if i > 1 else "<s>"
    after = words[i + 1] if i + 1 < len(words) else "</s>"
    after2 = words[i + 2] if i + 2 < len(words) else "</s>"
    shape = _shape(word)
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
        f"pwn={before}_{word}_{after}",
        "s=" + shape,
        f"sp={_shape(before)}_{shape}_{_shape(after)}",
        "i=" + intent,
        f"iw={intent}_{word}",
        f"ip={intent}_{before}",
        f"in={intent}_{after}",
    ]
    if is_cjk(word):
        features.extend((f"ppw={before2}{before}{word}", f"wnn={word}{after}{after2}"))
    else:
        features.extend(
            ("pre=" + word[:3], "suf=" + word[-3:], "pre2=" + word[:2], "suf2=" + word[-2:])
        )
        if len(word) > 4:
            features.extend(("pre4=" + word[:4], "suf4=" + word[-4:]))
        features.append("len=" + str(min(len(word), 8)))
    features.extend("g=" + mark for mark in marks[i])
    features.extend(f"ig={intent}_{mark}" for mark in marks[i])
    if i > 0:
        features.extend("pg=" + mark for mark in marks[i - 1])
    if i + 1 < len(words):
        features.extend("ng=" + mark for mark in marks[i + 1])
    if segments and segments[i] is not None:
        features.extend(_segment_features(segments, i, intent))
    return features


def _segment_features(segments: Sequence[WordPosition | None], i: int, intent: str) -> list[str]:
    """A CJK character's place in its jieba word (``B``/``M``/``E``/``S``), the word, its length,
    the words before and after it, and conjunctions with the intent. Selected on CAIS valid
    (slot F1 87.49 -> 88.70 with the L-BFGS penalties below; docs/benchmarks.md)."""
    position, word = segments[i] or ("", "")
    first, last = i, i
    while first > 0 and (segments[first] or "S")[0] in "ME":
        first -= 1
    while last + 1 < len(segments) and (segments[last] or "S")[0] in "BM":
        last += 1
    before = segments[first - 1] if first > 0 else None
    after = segments[last + 1] if last + 1 < len(segments) else None
    previous = before[1] if before else "<s>"
    following = after[1] if after else "</s>"
    size = str(min(len(word), 5))
    return [
        "jp=" + position,
        "jw=" + word,
        "jl=" + size,
        f"jpl={position}{size}",
        "jpw=" + previous,
        "jnw=" + following,
        f"jpwn={previous}_{following}",
        f"ijw={intent}_{word}",
        f"ijp={intent}_{position}",
    ]
