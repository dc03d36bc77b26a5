"""Per-utterance language identification: which language is this turn in, and is it mixed?

How it decides, in order:

1. The text is cleaned (``clean_text``) and cut to its first ``SCAN_LIMIT`` characters.
2. It is split into tokens by script. Units: one per Han or kana character, one per word for
   every other script (Thai, which does not space its words, counts one per run).
3. Scripts name languages: Han → ``zh``; kana anywhere → ``ja`` (its Han characters go with it);
   Hangul → ``ko``; Cyrillic → ``ru`` (``uk`` with і ї є ґ); Arabic → ``ar`` (``fa`` with پ چ ژ گ);
   Thai → ``th``; Devanagari → ``hi``; Greek → ``el``; Hebrew → ``he``.
4. Latin words are scored against short lists of frequent words (``lexicon``) and telling
   letters. English wins ties, gets extra weight for an opening command or question word, and
   another language must show at least one of its words and a score of 1.5 to win — so
   "timer", "ok", "Beijing", "play Despacito" or "add croissants to my list" stay English,
   while "hola" or "merci" alone (strong words) name Spanish and French.
5. Chinese with English (``mixed``): the *frame* wins — the side with more grammar and command
   words (Chinese particles and verbs against English function words; the word that opens the
   sentence counts once more); on a tie the side with more units; then the side that came first.
   Chinese with another Latin-script language (a French song title) is Chinese as soon as one
   Chinese grammar word is present.
6. Any other mixture: English when it has at least two grammar words (a question about a
   foreign word), otherwise the language with the most units, a non-Latin script on a tie.
   With three or more languages, units alone decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from ting.errors import InputError
from ting.lang.lexicon import (
    ENGLISH,
    ENGLISH_CLITICS,
    ENGLISH_FRAME,
    ENGLISH_STARTERS,
    LATIN_WORDS,
    LETTER_HINTS,
    STRONG_WORDS,
    ZH_FRAME,
)
from ting.lang.names import SUPPORTED, normalize_language_tag
from ting.lang.normalize import clean_text

__all__ = ["SCAN_LIMIT", "SUPPORTED", "LanguageGuess", "detect_language", "normalize_language_tag"]

SCAN_LIMIT: Final = 2000
"""Characters examined; the assistant caps input far below this, the rest is never read."""

_LATIN_LETTER = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_SCRIPT_PATTERNS: Final = (
    ("han", r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"),
    ("kana", r"[\u3005\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]+"),
    ("hangul", r"[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]+"),
    ("latin", rf"[{_LATIN_LETTER}]+(?:['’][{_LATIN_LETTER}]+)*"),
    ("cyrillic", r"[\u0400-\u052f]+"),
    ("arabic", r"[\u0621-\u065f\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f]+"),
    ("thai", r"[\u0e01-\u0e3a\u0e40-\u0e4e]+"),
    ("devanagari", r"[\u0900-\u0963\u0971-\u097f]+"),
    ("greek", r"[\u0386-\u03ff\u1f00-\u1fff]+"),
    ("hebrew", r"[\u0591-\u05c7\u05d0-\u05ea]+"),
)
_TOKEN: Final = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _SCRIPT_PATTERNS))
_SCRIPT_LANGUAGE: Final = MappingProxyType(
    {
        "han": "zh",
        "kana": "ja",
        "hangul": "ko",
        "cyrillic": "ru",
        "arabic": "ar",
        "thai": "th",
        "devanagari": "hi",
        "greek": "el",
        "hebrew": "he",
    }
)
_CHARACTER_UNITS: Final = frozenset({"han", "kana"})
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_PERSIAN = re.compile(r"[پچژگ]")
_ZH_MARKER: Final = re.compile("|".join(sorted(ZH_FRAME, key=len, reverse=True)))
_VIETNAMESE_TONES = range(0x1EA0, 0x1EFA)

_FOREIGN_MIN_SCORE: Final = 1.5
_OPENING_BONUS: Final = 1.5
_LETTER_WEIGHT: Final = 0.5
_SCRIPT_CONFIDENCE: Final = 0.95

_Evidence = tuple[tuple[str, float], ...]


def _build_index() -> dict[str, _Evidence]:
    index: dict[str, _Evidence] = {word: (("en", 1.0),) for word in ENGLISH}
    for language, words in LATIN_WORDS.items():
        for word in words:
            weight = 1.5 if word in STRONG_WORDS else 1.0
            index[word] = (*index.get(word, ()), (language, weight))
    return index


_INDEX: Final = MappingProxyType(_build_index())


@dataclass(frozen=True)
class LanguageGuess:
    """The language of one utterance."""

    language: str
    """Primary code: "en", "zh", another detected code ("fr", "ja", ...) or "und" (no letters)."""
    confidence: float
    """0..1; 0.0 for "und", 0.5 for English chosen only by default (no English word known)."""
    mixed: bool
    """Han characters and English words are both present."""
    shares: dict[str, float] = field(default_factory=dict, hash=False)
    """Share of the units (Han/kana characters, other words) by language; sums to about 1."""


@dataclass
class _Scan:
    units: dict[str, float] = field(default_factory=dict)
    han_runs: list[str] = field(default_factory=list)
    latin_words: list[str] = field(default_factory=list)
    first_script: str | None = None
    first_token: str = ""


def _scan(text: str) -> _Scan:
    scan = _Scan()
    for match in _TOKEN.finditer(text):
        script, token = match.lastgroup or "", match.group()
        if scan.first_script is None:
            scan.first_script, scan.first_token = script, token
        weight = len(token) if script in _CHARACTER_UNITS else 1
        scan.units[script] = scan.units.get(script, 0) + weight
        if script == "han":
            scan.han_runs.append(token)
        elif script == "latin":
            scan.latin_words.append(token.lower().replace("’", "'"))
    return scan


def _word_evidence(word: str) -> _Evidence:
    found = _INDEX.get(word)
    if found is not None or "'" not in word:
        return found or ()
    head, _, tail = word.partition("'")
    evidence = _INDEX.get(head + "'", ()) + _INDEX.get(tail, ())
    if not evidence and tail in ENGLISH_CLITICS:
        return (("en", 1.0),)
    return evidence


def _letter_hint(word: str) -> tuple[str, ...]:
    if word.isascii():
        return ()
    for char in word:
        if ord(char) in _VIETNAMESE_TONES:
            return ("vi",)
        hint = LETTER_HINTS.get(char)
        if hint is not None:
            return hint
    return ()


def _latin_scores(words: list[str], text: str) -> tuple[dict[str, float], set[str]]:
    """Score each Latin-script language; also return those with at least one word found."""
    scores = dict.fromkeys(("en", *LATIN_WORDS), 0.0)
    found: set[str] = set()
    for word in words:
        for language, weight in _word_evidence(word):
            scores[language] += weight
            found.add(language)
        for language in _letter_hint(word):
            scores[language] += _LETTER_WEIGHT
    if words and words[0] in ENGLISH_STARTERS:
        scores["en"] += _OPENING_BONUS
    if "¿" in text or "¡" in text:
        scores["es"] += 1.0
        found.add("es")
    return scores, found


def _classify_latin(words: list[str], text: str) -> tuple[str, float]:
    scores, found = _latin_scores(words, text)
    english = scores["en"]
    foreign = [
        (score, language)
        for language, score in scores.items()
        if language in found and language != "en" and score >= _FOREIGN_MIN_SCORE
    ]
    best_score, best = max(foreign, default=(0.0, "en"))
    if best_score <= english:
        best_score, best = english, "en"
    runner_up = max(score for language, score in scores.items() if language != best)
    if best_score <= 0:
        return best, 0.5
    return best, min(0.99, 0.5 + 0.5 * (best_score - runner_up) / best_score)


def _units_by_language(scan: _Scan, text: str, latin: str) -> dict[str, float]:
    units: dict[str, float] = {}
    kana = "kana" in scan.units
    for script, count in scan.units.items():
        if script == "latin":
            language = latin
        elif script == "han" and kana:
            language = "ja"
        elif script == "cyrillic" and _UKRAINIAN.search(text):
            language = "uk"
        elif script == "arabic" and _PERSIAN.search(text):
            language = "fa"
        else:
            language = _SCRIPT_LANGUAGE[script]
        units[language] = units.get(language, 0) + count
    return units


def _margin(winner: float, loser: float) -> float:
    total = winner + loser
    return 0.5 if total <= 0 else round(0.5 + 0.5 * (winner - loser) / total, 3)


def _frame_margin(winner: float, loser: float) -> float:
    """Confidence from grammar-word counts, smoothed: one word against none is a coin toss."""
    return min(0.99, _margin(winner, loser + 1))


def _english_frame(scan: _Scan) -> float:
    count = float(sum(word in ENGLISH_FRAME for word in scan.latin_words))
    if scan.first_script == "latin" and scan.first_token.lower() in ENGLISH_FRAME:
        count += 1
    return count


def _chinese_frame(scan: _Scan) -> float:
    count = float(len(_ZH_MARKER.findall("\n".join(scan.han_runs))))
    if scan.first_script == "han" and _ZH_MARKER.match(scan.first_token):
        count += 1
    return count


def _by_units(units: dict[str, float], latin: str | None) -> tuple[str, float]:
    """The language with the most units; a non-Latin script wins a tie."""
    ranked = sorted(units, key=lambda language: (units[language], language != latin), reverse=True)
    runner_up = units[ranked[1]] if len(ranked) > 1 else 0.0
    return ranked[0], _margin(units[ranked[0]], runner_up)


def _frame_of_chinese_english(scan: _Scan, units: dict[str, float]) -> tuple[str, float]:
    chinese, english = _chinese_frame(scan), _english_frame(scan)
    if chinese != english:
        winner = "zh" if chinese > english else "en"
        return winner, _frame_margin(max(chinese, english), min(chinese, english))
    if units["zh"] != units["en"]:
        return _by_units(units, "en")
    return ("zh" if scan.first_script == "han" else "en"), 0.5


def _decide(scan: _Scan, units: dict[str, float], latin: str | None) -> tuple[str, float]:
    if len(units) > 2:
        return _by_units(units, latin)
    if units.keys() == {"zh", "en"}:
        return _frame_of_chinese_english(scan, units)
    if "zh" in units and latin is not None and (chinese := _chinese_frame(scan)) > 0:
        return "zh", _frame_margin(chinese, 0)
    if latin == "en" and (english := _english_frame(scan)) >= 2:
        return "en", _frame_margin(english, 0)
    return _by_units(units, latin)


def _single_language_confidence(language: str, scan: _Scan, latin_confidence: float) -> float:
    if "latin" in scan.units:
        return round(latin_confidence, 3)
    if language == "zh":
        return 0.99 if _chinese_frame(scan) > 0 else 0.9
    return 0.99 if language in ("ja", "ko") else _SCRIPT_CONFIDENCE


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of one utterance (see the module docstring for the rules).

    Raises ``InputError`` when ``text`` is not a ``str``; any string gives a guess, "und" when it
    has no letters (digits, emoji, punctuation only).
    """
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
    text = clean_text(text[:SCAN_LIMIT])
    scan = _scan(text)
    if not scan.units:
        return LanguageGuess("und", 0.0, False, {})
    latin, latin_confidence = None, 0.5
    if scan.latin_words:
        latin, latin_confidence = _classify_latin(scan.latin_words, text)
    units = _units_by_language(scan, text, latin or "en")
    if len(units) == 1:
        language = next(iter(units))
        confidence = _single_language_confidence(language, scan, latin_confidence)
    else:
        language, confidence = _decide(scan, units, latin)
    total = sum(units.values())
    shares = {lang: round(count / total, 3) for lang, count in units.items()}
    return LanguageGuess(language, confidence, "zh" in units and "en" in units, shares)
