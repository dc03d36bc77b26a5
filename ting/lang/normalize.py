"""Text clean-up shared by language identification and the NLU.

``clean_text`` makes what an STT engine or a keyboard produced comparable:

* Unicode NFKC. Full-width letters and digits become ASCII (``ＡＢＣ１２３`` → ``ABC123``),
  the ideographic space becomes a plain space, and compatibility forms are unfolded
  (``①`` → ``1``, ``℃`` → ``°C``). NFKC also maps the *full-width forms* of some punctuation to
  ASCII: ``！`` → ``!``, ``？`` → ``?``, ``，`` → ``,``, ``：`` → ``:``, ``；`` → ``;``,
  ``（）`` → ``()``, and the ellipsis ``…`` becomes ``...``. Chinese punctuation that has no
  full-width form is left alone: ``。、“”‘’《》—·``.
* Control, format, private-use, surrogate and unassigned characters (Unicode ``C*``) are removed;
  whitespace of any kind (tab, newline, NBSP, ...) becomes a space. The one format character kept
  is the zero-width joiner *between two symbols*, so emoji sequences such as 👨‍👩‍👧 survive.
* Runs of whitespace collapse to one space; the ends are stripped.
* Emoji and other symbols are kept: the caller decides what they mean.

``strip_punctuation`` removes punctuation (Unicode ``P*``: ASCII and CJK alike) but keeps the
marks that belong to a word or a number: ``don't``, ``3.5``, ``1,000``, ``7:30``, ``-5``,
``15%``, ``well-known``, ``AT&T``. Symbols (``°``, ``$``, ``+``, emoji) are not punctuation
and stay.
"""

from __future__ import annotations

import re
import unicodedata

from ting.errors import InputError

__all__ = ["clean_text", "strip_punctuation"]

_ZWJ = "\u200d"
# A zero-width joiner survives only with a symbol (not a word character, not a space) on each side.
_STRAY_ZWJ = re.compile(r"(?<![^\w\s])\u200d|\u200d(?![^\w\s])")
# Candidates for removal: anything that is neither a word character nor whitespace.
_NON_WORD = re.compile(r"[^\w\s]")

_KEEP_BETWEEN_DIGITS = frozenset(".,:/")
"""3.5, 1,000, 7:30, 1/2."""
_KEEP_BETWEEN_WORD_CHARS = frozenset("'’.-&@")
"""don't, don’t, U.S, well-known, AT&T, name@example."""
_KEEP_AFTER_DIGIT = frozenset("%‰")
_SIGNS = frozenset("-")
"""A sign before a number that starts a token: -5."""


def _require_str(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
    return text


def _removal_table(text: str) -> dict[int, str | None]:
    """Map each non-printable character of ``text`` to a space (whitespace) or to nothing."""
    table: dict[int, str | None] = {}
    for char in set(text):
        if char.isprintable() or char == _ZWJ:
            continue
        if char.isspace():
            table[ord(char)] = " "
        elif unicodedata.category(char).startswith("C"):
            table[ord(char)] = None
    return table


_TERMINAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])"
)
"""ANSI/VT escape sequences (CSI, OSC, and two-character ones): not words of a command."""


def clean_text(text: str) -> str:
    """Return ``text`` NFKC-normalized, without control or format characters, with single spaces.

    Raises ``InputError`` when ``text`` is not a ``str``.
    """
    text = unicodedata.normalize("NFKC", _require_str(text))
    if not text.isprintable():
        text = _TERMINAL_ESCAPE.sub("", text)  # "\x1b[31m" colours pasted from a terminal
        text = text.translate(_removal_table(text))
        if _ZWJ in text:
            text = _STRAY_ZWJ.sub("", text)
    return " ".join(text.split())


def _is_digit(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isdecimal()


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def _starts_token(text: str, index: int) -> bool:
    return index == 0 or text[index - 1].isspace() or text[index - 1] in "([{"


def _belongs_to_word(text: str, index: int) -> bool:
    """Whether the punctuation mark at ``index`` is part of a word or a number."""
    char = text[index]
    before, after = index - 1, index + 1
    if char in _KEEP_BETWEEN_DIGITS and _is_digit(text, before) and _is_digit(text, after):
        return True
    if (
        char in _KEEP_BETWEEN_WORD_CHARS
        and _is_word_char(text, before)
        and _is_word_char(text, after)
    ):
        return True
    if char in _KEEP_AFTER_DIGIT and _is_digit(text, before):
        return True
    return char in _SIGNS and _is_digit(text, after) and _starts_token(text, index)


def strip_punctuation(text: str) -> str:
    """Replace punctuation by spaces, keeping marks inside words and numbers; collapse spaces.

    Punctuation becomes a space rather than nothing, so ``hello,world`` gives ``hello world``
    and ``你好，小听`` gives ``你好 小听``. The result has single spaces and no leading or
    trailing space. Raises ``InputError`` when ``text`` is not a ``str``.
    """
    text = _require_str(text)

    def replace(match: re.Match[str]) -> str:
        index = match.start()
        if not unicodedata.category(match.group()).startswith("P"):
            return match.group()
        return match.group() if _belongs_to_word(text, index) else " "

    return " ".join(_NON_WORD.sub(replace, text).split())
