"""Text for speech: normalization, clause splitting and language spans (pure functions).

Three steps turn a reply into what the engines are asked to say:

1. ``normalize_for_speech`` drops what nobody should hear (emoji, symbols, markup) and rewrites
   the few forms the engines' front ends misread: money, "7:05" and degrees in English; clock
   times, degrees, thousands separators and long digit strings (read digit by digit) in
   Chinese. The engines read plain numbers themselves (Piper
   via espeak-ng reads "10:15 AM" and "1,000"; misaki turns "10点15分", "5分钟", "3.5%" and
   "2024年" into Chinese numerals), so digits are otherwise left alone.
2. ``split_clauses`` cuts the text at sentence ends (. ! ? ; 。！？；…) and, once a piece is long
   enough, at clause marks (, : ，、：) so the first audio can leave early without making every
   comma a prosody break; very long runs are cut at a space (or anywhere in Chinese).
3. ``split_language_spans`` labels each part of a clause "en" or "zh" by script. Han is always
   Chinese. A short Latin run (at most ``max_embedded_words`` words, e.g. "pasta", "Wi-Fi") inside
   a Chinese clause stays in the Chinese span so the Chinese voice reads it: switching to the
   English voice for one word changes the speaker mid-sentence and costs a second synthesis, and
   Kokoro reads an English word with English phonemes in the same voice. Longer Latin runs are
   English spans. Digits and punctuation go with the span they touch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

_HAN: Final = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE: Final = re.compile(f"[{_HAN}]")
_LATIN_RE: Final = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SPEAKABLE_RE: Final = re.compile(rf"[{_HAN}A-Za-z\u00c0-\u024f0-9]")

_STRONG: Final = frozenset(".!?;。！？；…")
_WEAK: Final = frozenset(",:，、：")
_ASCII_NEEDS_SPACE: Final = frozenset(".!?;,:")
"""ASCII marks end a clause only before whitespace or the end ("3.5", "10:15", "1,000")."""
_ABBREVIATIONS: Final = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "vs", "etc", "e.g", "i.e", "no", "jr", "sr", "prof", "approx"}
)
_CLOSERS: Final = frozenset("\"'”’)）」』】")


@dataclass(frozen=True)
class Clause:
    text: str
    sentence_end: bool
    """Ends a sentence (a longer pause follows) rather than a clause."""


@dataclass(frozen=True)
class Span:
    language: str
    text: str


# --- normalization -------------------------------------------------------------------------

_DROP_CATEGORIES: Final = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc"})
_MARKUP_RE: Final = re.compile(r"[*_#`~<>|\[\]{}^\\]+")
_SPACE_RE: Final = re.compile(r"\s+")
_THOUSANDS_RE: Final = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ZH_TIME_RE: Final = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:：]([0-5]\d)(?![\d:])")
_EN_TIME_OH_RE: Final = re.compile(r"(?<![\d:])(1[0-2]|0?[1-9]|1\d|2[0-3]):0([1-9])(?![\d:])")
_LONG_DIGITS_RE: Final = re.compile(r"\d{11,}")
"""A phone or account number: read digit by digit (cn2an stops at 16 digits)."""
_ZH_DIGITS: Final = str.maketrans("0123456789", "零一二三四五六七八九")
_DOLLARS_RE: Final = re.compile(r"\$\s?(\d+(?:,\d{3})*)(?:\.(\d{2}))?\b")
_DEGREES_EN: Final = (
    ("°C", " degrees Celsius"),
    ("℃", " degrees Celsius"),
    ("°F", " degrees Fahrenheit"),
    ("℉", " degrees Fahrenheit"),
    ("°", " degrees"),
)
_DEGREES_ZH: Final = (
    ("°C", "摄氏度"),
    ("℃", "摄氏度"),
    ("°F", "华氏度"),
    ("℉", "华氏度"),
    ("°", "度"),
)


def normalize_for_speech(text: str, language: str) -> str:
    """What the engines should read for ``text`` in ``language`` ("" when nothing is left)."""
    text = text.replace("\u3000", " ")
    degrees = _DEGREES_ZH if language == "zh" else _DEGREES_EN
    for symbol, words in degrees:
        text = text.replace(symbol, words)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in _DROP_CATEGORIES or ch in "\n\t"
    )
    text = _MARKUP_RE.sub(" ", text)
    if language == "zh":
        text = _LONG_DIGITS_RE.sub(lambda m: m.group().translate(_ZH_DIGITS), text)
        text = _THOUSANDS_RE.sub("", text)
        text = _ZH_TIME_RE.sub(_zh_time, text)
    if language != "zh":
        text = _DOLLARS_RE.sub(_dollars, text)
        text = _EN_TIME_OH_RE.sub(r"\1 oh \2", text)
    text = _SPACE_RE.sub(" ", text).strip()
    return text if is_speakable(text) else ""


def is_speakable(text: str) -> bool:
    """Holds at least one letter, Han character or digit."""
    return _SPEAKABLE_RE.search(text) is not None


def _zh_time(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute == 0:
        return f"{hour}点整"
    if minute < 10:
        return f"{hour}点零{minute}分"
    return f"{hour}点{minute}分"


def _dollars(match: re.Match[str]) -> str:
    whole = match.group(1).replace(",", "")
    dollars = f"{whole} dollar" + ("" if whole == "1" else "s")
    cents = match.group(2)
    if cents is None or cents == "00":
        return dollars
    return f"{dollars} {int(cents)} cent" + ("" if int(cents) == 1 else "s")


# --- clauses -------------------------------------------------------------------------------


def weight(text: str) -> int:
    """Rough spoken length: a Han character counts 2 (a syllable), a letter or digit 1."""
    return sum(2 if _HAN_RE.match(ch) else 1 for ch in text if ch.isalnum())


def split_clauses(
    text: str, *, min_clause: int = 16, min_first_clause: int = 4, max_clause: int = 180
) -> list[Clause]:
    """Clauses to synthesize one after another, in ``weight`` units.

    A sentence end always closes a clause unless the piece is still tiny (< 3 units, e.g.
    "Hm."); a clause mark closes one when the piece weighs at least ``min_clause`` — or
    ``min_first_clause`` for the first piece, so the first audio leaves sooner. Pieces over
    ``max_clause`` are cut at a space.
    """
    clauses: list[Clause] = []
    start = 0
    for index, ch in enumerate(text):
        boundary = _boundary(text, index, ch)
        if boundary is None:
            continue
        end = index + 1
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        piece = text[start:end]
        units = weight(piece)
        needed = 3 if boundary else (min_first_clause if not clauses else min_clause)
        if units >= needed:
            clauses.extend(_cut_long(piece.strip(), boundary, max_clause))
            start = end
    rest = text[start:].strip()
    if rest:
        if clauses and weight(rest) < 3 and not is_speakable(rest):
            last = clauses.pop()
            clauses.append(Clause(last.text + rest, last.sentence_end))
        else:
            clauses.extend(_cut_long(rest, True, max_clause))
    return [c for c in clauses if is_speakable(c.text)]


def _boundary(text: str, index: int, ch: str) -> bool | None:
    """True at a sentence end, False at a clause mark, None elsewhere."""
    if ch not in _STRONG and ch not in _WEAK:
        return None
    if ch in _ASCII_NEEDS_SPACE:
        after = text[index + 1 : index + 2]
        if after and not after.isspace() and after not in _CLOSERS:
            return None
        if ch == ".":
            word = re.search(r"([A-Za-z.]+)$", text[:index])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                return None
    return ch in _STRONG


def _cut_long(piece: str, sentence_end: bool, max_clause: int) -> list[Clause]:
    parts: list[str] = []
    while weight(piece) > max_clause:
        cut = _cut_point(piece, max_clause)
        parts.append(piece[:cut].strip())
        piece = piece[cut:].strip()
    parts.append(piece)
    parts = [p for p in parts if p]
    return [Clause(p, sentence_end if i == len(parts) - 1 else False) for i, p in enumerate(parts)]


def _cut_point(piece: str, max_clause: int) -> int:
    units = 0
    last_space = -1
    for index, ch in enumerate(piece):
        if ch.isspace():
            last_space = index
        if ch.isalnum():
            units += 2 if _HAN_RE.match(ch) else 1
        if units > max_clause:
            if _HAN_RE.match(ch) or last_space <= 0:
                return max(index, 1)
            return last_space
    return len(piece)


# --- language spans ------------------------------------------------------------------------

_RUN_RE: Final = re.compile(
    rf"(?P<zh>[{_HAN}]+)"
    r"|(?P<en>[A-Za-z\u00c0-\u024f]+(?:['’\-][A-Za-z\u00c0-\u024f]+)*)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def split_language_spans(text: str, language: str, *, max_embedded_words: int = 3) -> list[Span]:
    """Consecutive spans of one language each. ``language`` is the reply's language: it labels
    text with neither script, and only in a Chinese reply do short Latin runs stay Chinese.

    See the module docstring for the rules. ``max_embedded_words`` 0 sends every Latin run to
    the English voice.
    """
    runs: list[tuple[str | None, str]] = []
    for match in _RUN_RE.finditer(text):
        kind = match.lastgroup
        runs.append((None if kind == "other" else kind, match.group()))
    has_han = any(kind == "zh" for kind, _ in runs)
    if has_han and language == "zh" and max_embedded_words > 0:
        runs = _embed_short_latin(runs, max_embedded_words)
    labels = _label_neutral(runs, language)
    spans: list[Span] = []
    for label, (_, part) in zip(labels, runs, strict=True):
        if spans and spans[-1].language == label:
            spans[-1] = Span(label, spans[-1].text + part)
        else:
            spans.append(Span(label, part))
    return [Span(s.language, s.text.strip()) for s in spans if is_speakable(s.text)]


def _embed_short_latin(
    runs: list[tuple[str | None, str]], max_words: int
) -> list[tuple[str | None, str]]:
    """Relabel Latin word groups of at most ``max_words`` words that touch Chinese as Chinese."""
    out = list(runs)
    index = 0
    while index < len(out):
        if out[index][0] != "en":
            index += 1
            continue
        end = index
        words = 0
        probe = index
        while probe < len(out) and (out[probe][0] == "en" or _is_joiner(out[probe])):
            if out[probe][0] == "en":
                words += 1
                end = probe
            probe += 1
        if words <= max_words and _touches_han(out, index, end):
            for k in range(index, end + 1):
                if out[k][0] == "en":
                    out[k] = ("zh", out[k][1])
        index = end + 1
    return out


def _is_joiner(run: tuple[str | None, str]) -> bool:
    return run[0] is None and (run[1].isspace() or run[1].isdigit() or run[1] in "-'’&.:")


def _touches_han(runs: list[tuple[str | None, str]], first: int, last: int) -> bool:
    """A Han run is the nearest script run before or after (over spaces, digits, marks)."""
    for step, start in ((-1, first - 1), (1, last + 1)):
        k = start
        while 0 <= k < len(runs):
            kind = runs[k][0]
            if kind is not None:
                if kind == "zh" and _HAN_RE.match(runs[k][1]):
                    return True
                break
            if runs[k][1] in _STRONG:
                break
            k += step
    return False


def _label_neutral(runs: list[tuple[str | None, str]], default: str) -> list[str]:
    """Digits and marks join the script run they touch: digits glued to a following run go
    with it ("5分钟"), everything else with the run before; leading text with the first."""
    labels: list[str | None] = [kind for kind, _ in runs]
    for index, (kind, part) in enumerate(runs):
        if kind is not None:
            continue
        if part.isdigit() or part in ".％%":
            following = _next_kind(runs, index)
            if following is not None:
                labels[index] = following
                continue
    previous: str | None = None
    for index, label in enumerate(labels):
        if label is None:
            labels[index] = previous
        else:
            previous = label
    following_label: str | None = None
    for index in range(len(labels) - 1, -1, -1):
        if labels[index] is None:
            labels[index] = following_label or default
        else:
            following_label = labels[index]
    return [label or default for label in labels]


def _next_kind(runs: list[tuple[str | None, str]], index: int) -> str | None:
    """The script of the run right after a number glued to it (digits, '.', '%' in between)."""
    k = index + 1
    while k < len(runs) and runs[k][0] is None and (runs[k][1].isdigit() or runs[k][1] in ".%％"):
        k += 1
    if k < len(runs) and runs[k][0] is not None:
        return runs[k][0]
    return None
