"""Tokens shared by the template matcher and the statistical models.

One tokenizer serves both languages, which is what makes mixed sentences work: a run of Latin
letters is one token (``living``), a number is one token (``3.5``, ``7:30``, ``15%``), and every
CJK character is a token of its own (``五``, ``分``, ``钟``). Spaces therefore never matter between
Chinese characters, and punctuation simply never becomes a token. Each token keeps its character
offsets into the cleaned text, so slot values are read from the words the user actually wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ting.lang import clean_text

__all__ = ["Token", "Utterance", "is_cjk", "join_words", "prepare", "tokenize", "words_of"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\U00020000-\U0002fa1f"
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one CJK character
    r"|\d+(?:[.,:/]\d+)*%?"  # 5, 3.5, 1,000, 7:30, 1/2, 15%
    r"|°"  # 25°, kept so temperatures keep their unit
    rf"|(?:(?![{_CJK}])[^\W\d_])+(?:['’](?:(?![{_CJK}])[^\W\d_])+)*"  # words, don't
)
_CJK_CHAR = re.compile(rf"[{_CJK}]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    """Matching form: lower-case, ``’`` folded to ``'``."""
    start: int
    end: int


@dataclass(frozen=True)
class Utterance:
    """A cleaned utterance and its tokens."""

    text: str
    tokens: tuple[Token, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(token.text for token in self.tokens)

    def span_text(self, start: int, end: int) -> str:
        """The cleaned text covered by tokens ``start`` (inclusive) to ``end`` (exclusive)."""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]


def is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.match(text))


def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of already cleaned ``text``; punctuation, emoji and spaces produce none."""
    return tuple(
        Token(match.group().lower().replace("’", "'"), match.start(), match.end())
        for match in _TOKEN.finditer(text)
    )


def words_of(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokenize(clean_text(text)))


def prepare(text: str, max_tokens: int) -> Utterance:
    """Clean ``text`` and tokenize it, keeping at most ``max_tokens`` tokens."""
    cleaned = clean_text(text)
    return Utterance(cleaned, tokenize(cleaned)[:max_tokens])


def join_words(words: Sequence[str]) -> str:
    """Words as a sentence: a space between words, none between two CJK characters."""
    return joined_with_spans(words)[0]


def joined_with_spans(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """``join_words`` and each word's character span in the sentence."""
    text, spans = "", []
    for word in words:
        if text and not (is_cjk(text[-1]) and is_cjk(word[0])):
            text += " "
        spans.append((len(text), len(text) + len(word)))
        text += word
    return text, spans
