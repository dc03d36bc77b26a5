"""Numbers in any of the forms a bilingual speaker uses: "25", "3.5", "1,000", "-5",
"twenty five", "a hundred and eight", "one point five", "a dozen", "half", 两, 二十五, 一百零八,
三点五, 一万二, 3千, 2万, "1.5 million", 3.5万.

Every parser returns None for text that is not a number; none of them raises.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ting.values._text import MAX_INPUT_CHARS, fold_char, normalize
from ting.values.chinese import ZH_NUMERAL_CHARS, parse_chinese_number
from ting.values.english import NUMBER_WORDS, parse_english_number

Number = int | float

_ARABIC = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
_SCALED = re.compile(r"(?P<base>.+?)\s*(?P<scale>k|thousand|million|billion|百|千|万|亿)")
_SCALES = MappingProxyType(
    {"k": 1000, "thousand": 1000, "million": 10**6, "billion": 10**9,
     "百": 100, "千": 1000, "万": 10_000, "亿": 10**8}
)  # fmt: skip
_PRECISION = 9
_ZH_RUN_CHARS = ZH_NUMERAL_CHARS + "0-9点半负俩仨"
_EN_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_CANDIDATE = re.compile(
    rf"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?[{_ZH_RUN_CHARS}]*"
    rf"|[{_ZH_RUN_CHARS}]+"
    rf"|(?<![a-z]){_EN_WORD}(?:[\s-]+{_EN_WORD})*(?![a-z])"
)
_WORD = re.compile(r"[a-z]+")
_LONGEST_NUMBER_CHARS = 40
MAX_FIND_CHARS = 4 * MAX_INPUT_CHARS
"""``find_numbers`` looks at utterances, not documents."""


def tidy(value: float) -> Number:
    """A float rounded to ``_PRECISION`` places, as an int when it is whole."""
    rounded = round(value, _PRECISION)
    return int(rounded) if rounded.is_integer() else rounded


def _parse_arabic(text: str) -> Number | None:
    if not _ARABIC.fullmatch(text):
        return None
    plain = text.replace(",", "")
    if "." in plain:
        return tidy(float(plain))
    return int(plain)


def _parse_scaled(text: str) -> Number | None:
    """A decimal times a scale word: "1.5 million", "3.5万", "一点五万", "2.5k"."""
    match = _SCALED.fullmatch(text)
    if match is None:
        return None
    base = _parse_arabic(match["base"])
    if base is None or isinstance(base, int):
        return None  # whole bases ("3千", "five thousand") are read by the word parsers
    return tidy(base * _SCALES[match["scale"]])


def parse_normalized_number(text: str) -> Number | None:
    """``parse_number`` for text that is already folded by ``_text.normalize``."""
    for parse in (_parse_arabic, _parse_scaled, parse_chinese_number, parse_english_number):
        value = parse(text)
        if value is not None:
            return value if isinstance(value, int) else tidy(value)
    return None


def parse_number(text: str) -> Number | None:
    """The number ``text`` says, as an int when whole; None when it is not a number."""
    folded = normalize(text)
    return None if folded is None else parse_normalized_number(folded)


def parse_integer(text: str) -> int | None:
    """The whole number ``text`` says; None for fractions and non-numbers."""
    value = parse_number(text)
    return value if isinstance(value, int) else None


def _longest_number(run: str, cuts: list[int]) -> tuple[int, Number] | None:
    """The longest prefix of ``run`` ending at one of ``cuts`` that is a number."""
    for cut in sorted((cut for cut in cuts if cut <= _LONGEST_NUMBER_CHARS), reverse=True):
        value = parse_normalized_number(run[:cut].strip())
        if value is not None:
            return cut, value
    return None


def _numbers_in_run(run: str, offset: int) -> list[tuple[int, int, Number]]:
    if run[0].isalpha() and run[0].isascii():
        words = list(_WORD.finditer(run))
        starts, ends = [w.start() for w in words], [w.end() for w in words]
    else:
        starts, ends = list(range(len(run))), list(range(1, len(run) + 1))
    found: list[tuple[int, int, Number]] = []
    position = 0
    while position < len(run):
        best = _longest_number(run[position:], [end - position for end in ends if end > position])
        if best is None:
            position = next((start for start in starts if start > position), len(run))
            continue
        cut, value = best
        found.append((offset + position, offset + position + cut, value))
        position = next((start for start in starts if start >= position + cut), len(run))
    return found


def find_numbers(text: str) -> list[tuple[int, int, Number]]:
    """Every number in ``text`` as (start, end, value) character spans, left to right.

    "set a timer for 五分钟 and twenty five seconds" → [(16, 17, 5), (24, 35, 25)].
    Texts longer than ``MAX_FIND_CHARS`` give an empty list.
    """
    if not isinstance(text, str) or len(text) > MAX_FIND_CHARS:
        return []
    folded = "".join(fold_char(char) for char in text)
    found: list[tuple[int, int, Number]] = []
    for match in _CANDIDATE.finditer(folded):
        found.extend(_numbers_in_run(match.group().rstrip(","), match.start()))
    return found
