"""English number words, both ways: "twenty five", "a hundred and eight", "one point five",
"two and a half", "a dozen", "half"; and ordinals for dates: "3rd", "third", "twenty-first".

Reading is a small left-to-right machine over words: a group below a thousand is built from
ones, tens and "hundred", then multiplied by a scale (thousand, million, billion) that must be
smaller than the previous one. Digit tokens may stand in for a group ("5 thousand").
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ting.errors import InputError

_ONES_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ONES = MappingProxyType({word: value for value, word in enumerate(_ONES_WORDS)})
TENS = MappingProxyType({word: 20 + 10 * i for i, word in enumerate(_TENS_WORDS)})
SCALES = MappingProxyType({"thousand": 1000, "million": 10**6, "billion": 10**9})
NUMBER_WORDS = frozenset(
    [*ONES, *TENS, *SCALES, "hundred", "dozen", "half", "point", "a", "an", "and", "minus",
     "negative", "oh"]
)  # fmt: skip
"""Every word that may be part of an English number."""

_IRREGULAR_ORDINALS = MappingProxyType(
    {"first": "one", "second": "two", "third": "three", "fifth": "five", "eighth": "eight",
     "ninth": "nine", "twelfth": "twelve"}
)  # fmt: skip
_NUMERIC_ORDINAL = re.compile(r"([0-9]{1,4})(?:st|nd|rd|th)?")
_MAX_WRITTEN = 10**12


def _words(text: str) -> list[str]:
    return text.replace("-", " ").split()


def _group_value(word: str) -> int | None:
    if word.isascii() and word.isdigit():
        return int(word)
    return None


def _integer(words: list[str]) -> int | None:
    """The value of number words without decimals or halves; None if they are not a number."""
    if len(words) > 1 and words[0] in ("a", "an") and words[1] in ("hundred", "dozen", *SCALES):
        words = ["one", *words[1:]]
    total, group, prev = 0, 0, "start"
    smallest_scale = 10**12
    for word in words:
        digits = _group_value(word)
        if word in ONES or digits is not None:
            value = ONES[word] if digits is None else digits
            if prev in ("ones", "dozen") or (prev == "tens" and not 0 < value < 10):
                return None
            group, prev = group + value, "ones"
        elif word in TENS:
            if prev in ("ones", "tens", "dozen"):
                return None
            group, prev = group + TENS[word], "tens"
        elif word == "hundred":
            if not 0 < group < 100 or prev == "hundred":
                return None
            group, prev = group * 100, "hundred"
        elif word == "dozen":
            if not 0 < group < 100 or prev == "dozen":
                return None
            group, prev = group * 12, "dozen"
        elif word in SCALES:
            scale = SCALES[word]
            if group == 0 or scale >= smallest_scale:
                return None
            total, group, prev, smallest_scale = total + group * scale, 0, "scale", scale
        elif word == "and" and prev in ("hundred", "scale"):
            prev = "and"
        else:
            return None
    if prev in ("start", "and"):
        return None
    return total + group


def _decimal(words: list[str]) -> float | None:
    """ "one point five" → 1.5, "point two five" → 0.25."""
    at = words.index("point")
    whole = _integer(words[:at]) if at else 0
    digits = [ONES.get(word, -1) if word != "oh" else 0 for word in words[at + 1 :]]
    if whole is None or not digits or any(not 0 <= digit <= 9 for digit in digits):
        return None
    return float(f"{whole}." + "".join(str(digit) for digit in digits))


def parse_english_number(text: str) -> int | float | None:
    """The value of English number words (already lower case); None if they are not one."""
    words = _words(text)
    if not words:
        return None
    if words[0] in ("minus", "negative"):
        value = parse_english_number(" ".join(words[1:]))
        return None if value is None else -value
    if words in (["half"], ["a", "half"], ["one", "half"]):
        return 0.5
    if len(words) > 3 and words[-3:] == ["and", "a", "half"]:
        whole = _integer(words[:-3])
        return None if whole is None else whole + 0.5
    if "point" in words:
        return _decimal(words)
    return _integer(words)


def parse_ordinal(text: str) -> int | None:
    """A day-of-month style ordinal: "3rd", "3", "third", "twenty-first" → 3, 3, 3, 21."""
    numeric = _NUMERIC_ORDINAL.fullmatch(text)
    if numeric:
        return int(numeric.group(1))
    words = _words(text)
    if not words:
        return None
    last = words[-1]
    if last in _IRREGULAR_ORDINALS:
        last = _IRREGULAR_ORDINALS[last]
    elif last.endswith("ieth"):
        last = last[: -len("ieth")] + "y"
    elif last.endswith("th"):
        last = last[: -len("th")]
    else:
        return None
    value = _integer([*words[:-1], last])
    return value if value is not None and value > 0 else None


def ordinal_words() -> list[str]:
    """The ordinals of the number words from one to ninety: "first" ... "ninetieth"."""
    irregular = {word: ordinal for ordinal, word in _IRREGULAR_ORDINALS.items()}
    words = []
    for word in [*list(ONES)[1:], *TENS]:
        if word in irregular:
            words.append(irregular[word])
        elif word.endswith("y"):
            words.append(word[:-1] + "ieth")
        else:
            words.append(word + "th")
    return words


def _write_below_thousand(number: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words += [_ONES_WORDS[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS_WORDS[tens - 2] + (f"-{_ONES_WORDS[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES_WORDS[rest])
    return words


def to_english_words(number: int) -> str:
    """An integer in English words: 25 → "twenty-five", 1008 → "one thousand eight".

    Raises InputError beyond a trillion (10**12).
    """
    if number < 0:
        return "minus " + to_english_words(-number)
    if number >= _MAX_WRITTEN:
        raise InputError(f"{number} is too large to write in words")
    if number == 0:
        return "zero"
    words: list[str] = []
    for scale_word, scale in (("billion", 10**9), ("million", 10**6), ("thousand", 1000)):
        count, number = divmod(number, scale)
        if count:
            words += [*_write_below_thousand(count), scale_word]
    return " ".join(words + _write_below_thousand(number))
