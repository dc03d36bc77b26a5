"""Chinese numerals, both ways: 二十五, 一百零八, 两千五, 一万二, 3千, 2万, 三点五, 负五, 半.

Reading works on tokens: a digit (一, 两, 俩, 仨, or an Arabic run such as ``20``), a small unit
(十 百 千), a big unit (万 亿) or 零. Within a section small units must shrink (二十三百 is not a
number) and big units must shrink too. A digit right after 百/千/万/亿 with no 零 in between is the
spoken abbreviation of the next unit down: 一百五 = 150, 一万二 = 12000. A run of bare digits
(二零二六, 幺幺零) is read digit by digit, except two nonzero digits (五六 means "five or six").
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ting.errors import InputError

ZH_DIGITS = MappingProxyType(
    {
        "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "贰": 2,
        "三": 3, "仨": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
        "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
    }
)  # fmt: skip
ZH_SMALL_UNITS = MappingProxyType(
    {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
)
ZH_BIG_UNITS = MappingProxyType({"万": 10_000, "亿": 100_000_000})
ZH_NUMERAL_CHARS = "".join([*ZH_DIGITS, *ZH_SMALL_UNITS, *ZH_BIG_UNITS])
"""Every character that can be part of a Chinese integer."""

_ZEROS = frozenset("零〇")
_TOKEN = re.compile(r"[0-9]+|.", re.DOTALL)
_WRITE_DIGITS = "零一二三四五六七八九"
_MAX_WRITTEN = 10**12

Token = tuple[str, int]
"""(kind, value) where kind is "digit", "arabic", "zero", "unit" or "big"."""


def _tokenize(text: str) -> list[Token] | None:
    tokens: list[Token] = []
    for piece in _TOKEN.findall(text):
        if piece.isascii() and piece.isdigit():
            tokens.append(("arabic", int(piece)))
        elif piece in _ZEROS:
            tokens.append(("zero", 0))
        elif piece in ZH_DIGITS:
            tokens.append(("digit", ZH_DIGITS[piece]))
        elif piece in ZH_SMALL_UNITS:
            tokens.append(("unit", ZH_SMALL_UNITS[piece]))
        elif piece in ZH_BIG_UNITS:
            tokens.append(("big", ZH_BIG_UNITS[piece]))
        else:
            return None
    return tokens


def _digit_string(tokens: list[Token]) -> int | None:
    """二零二六 → 2026; None unless every token is a Chinese digit and the reading is safe."""
    if len(tokens) < 2 or any(kind not in ("digit", "zero") for kind, _ in tokens):
        return None
    if len(tokens) == 2 and all(kind == "digit" for kind, _ in tokens):
        return None
    return int("".join(str(value) for _, value in tokens))


def _abbreviated(pending: int, prev_kind: str, prev_value: int) -> int | None:
    """The value of a trailing number (一百五 → 50), or None when it cannot stand there."""
    if prev_kind not in ("unit", "big") or prev_value < 100:
        return pending
    if pending < 10:
        return pending * prev_value // 10
    return pending if prev_kind == "big" and pending < prev_value else None


def _integer_from_tokens(tokens: list[Token]) -> int | None:
    total, section = 0, 0
    pending: int | None = None
    smallest_unit, smallest_big = 10_000, 10**12
    prev_kind, prev_value = "start", 0
    pending_after = (prev_kind, prev_value)
    for kind, value in tokens:
        if kind == "zero":
            if pending is not None:
                return None
        elif kind in ("digit", "arabic"):
            if pending is not None:
                return None
            pending, pending_after = value, (prev_kind, prev_value)
        elif kind == "unit":
            if pending is None:
                if value != 10 or prev_kind not in ("start", "zero", "big"):
                    return None
                pending = 1
            if pending >= 10 or value >= smallest_unit:
                return None
            section, pending, smallest_unit = section + pending * value, None, value
        else:
            section += pending or 0
            if section == 0 or value >= smallest_big:
                return None
            total, section, pending = total + section * value, 0, None
            smallest_unit, smallest_big = 10_000, value
        prev_kind, prev_value = kind, value
    if prev_kind == "zero":
        return None
    if pending is not None:
        tail = _abbreviated(pending, *pending_after)
        if tail is None:
            return None
        section += tail
    return total + section


def parse_chinese_integer(text: str) -> int | None:
    """The integer a Chinese numeral (possibly with Arabic digits: 3千, 1万2000) stands for."""
    if text in _ZEROS:
        return 0
    tokens = _tokenize(text)
    if not tokens:
        return None
    if all(kind in ("digit", "zero") for kind, _ in tokens) and len(tokens) > 1:
        return _digit_string(tokens)
    if all(kind == "arabic" for kind, _ in tokens):
        return None  # plain Arabic numbers are not this module's business
    return _integer_from_tokens(tokens)


def _fraction_digits(text: str) -> str | None:
    digits = []
    for char in text:
        if char.isascii() and char.isdigit():
            digits.append(char)
        elif char in ZH_DIGITS:
            digits.append(str(ZH_DIGITS[char]))
        else:
            return None
    return "".join(digits) or None


def parse_chinese_decimal(text: str) -> float | None:
    """三点五 → 3.5, 零点二五 → 0.25; None without a 点 and digits after it."""
    whole, sep, fraction = text.partition("点")
    if not sep:
        return None
    integer = parse_chinese_integer(whole) if whole else None
    if integer is None and whole.isascii() and whole.isdigit():
        integer = int(whole)
    digits = _fraction_digits(fraction)
    if integer is None or digits is None:
        return None
    return float(f"{integer}.{digits}")


def parse_chinese_number(text: str) -> int | float | None:
    """A Chinese number with optional sign (负), decimals (点), halves (半) and 万/亿 scaling."""
    if text.startswith("负"):
        value = parse_chinese_number(text[1:])
        return None if value is None else -value
    if text in ("半", "一半"):
        return 0.5
    if "点" in text:
        scale = ZH_BIG_UNITS.get(text[-1]) or ZH_SMALL_UNITS.get(text[-1])
        base = parse_chinese_decimal(text[:-1] if scale else text)
        if base is None:
            return None
        return base * scale if scale else base
    return parse_chinese_integer(text)


def _write_section(value: int) -> str:
    """1..9999 in Chinese, with 零 for inner gaps: 1005 → 一千零五."""
    out: list[str] = []
    gap = False
    for unit_value, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(_WRITE_DIGITS[digit] + unit_char)
    return "".join(out)


def to_chinese_numeral(number: int) -> str:
    """An integer written in Chinese characters: 25 → 二十五, 108 → 一百零八, 12000 → 一万二千.

    Raises InputError beyond a trillion (10**12), which no speaker needs.
    """
    if number < 0:
        return "负" + to_chinese_numeral(-number)
    if number >= _MAX_WRITTEN:
        raise InputError(f"{number} is too large to write in Chinese numerals")
    if number == 0:
        return "零"
    out: list[str] = []
    gap = False
    sections = (
        (number // 100_000_000, "亿"),
        (number // 10_000 % 10_000, "万"),
        (number % 10_000, ""),
    )
    for value, unit in sections:
        if value == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or value < 1000):
            out.append("零")
        out.append(_write_section(value) + unit)
        gap = False
    written = "".join(out)
    return written[1:] if written.startswith("一十") else written
