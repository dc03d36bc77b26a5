"""Percentages ("15%", "15 percent", 百分之十五) and temperatures ("20 degrees", "72 fahrenheit",
二十度, 零下五度, "-5°C", 华氏七十二度) as ``Quantity``.

A temperature needs a degree word, sign or scale; a bare number is not one. The unit is "C" or
"F" when the scale was said and "deg" when it was not.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ting.values._text import normalize
from ting.values.model import Quantity, TemperatureUnit
from ting.values.numbers import Number, parse_normalized_number

_PERCENT = re.compile(
    r"(?P<c>百分百|百分之百)|(?P<a>.+?)\s*(?:%|percent|per cent|pct)|百分之(?P<b>.+)"
)
_SCALE_WORDS: MappingProxyType[str, TemperatureUnit] = MappingProxyType(
    {"celsius": "C", "centigrade": "C", "c": "C", "摄氏": "C", "fahrenheit": "F", "f": "F",
     "华氏": "F"}
)  # fmt: skip
_EN_TEMPERATURE = re.compile(
    r"(?P<sign>minus |negative )?(?P<number>.+?)\s*"
    r"(?:(?:°|degrees?|deg)\s*(?P<scale>celsius|centigrade|fahrenheit|c|f)?"
    r"|(?P<scale_only>celsius|centigrade|fahrenheit))"
    r"(?P<below> below(?: zero)?)?"
)
_ZH_TEMPERATURE = re.compile(
    r"(?P<prefix>摄氏|华氏)?(?P<below>零下)?(?P<prefix2>摄氏|华氏)?(?P<number>.+?)"
    r"(?P<suffix>摄氏|华氏)?度(?P<half>半)?"
)


def parse_percentage(text: str) -> Quantity | None:
    """A percentage as ``Quantity(value, "%")``; None when ``text`` is not one."""
    folded = normalize(text)
    match = None if folded is None else _PERCENT.fullmatch(folded)
    if match is None:
        return None
    if match["c"]:
        return Quantity(100.0, "%")
    value = parse_normalized_number((match["a"] or match["b"]).strip())
    return None if value is None else Quantity(float(value), "%")


def _temperature(value: Number | None, negative: bool, unit: TemperatureUnit) -> Quantity | None:
    if value is None or (negative and value < 0):
        return None
    return Quantity(float(-value if negative else value), unit)


def _english_temperature(text: str) -> Quantity | None:
    match = _EN_TEMPERATURE.fullmatch(text)
    if match is None:
        return None
    scale = match["scale"] or match["scale_only"]
    unit: TemperatureUnit = _SCALE_WORDS[scale] if scale else "deg"
    negative = bool(match["sign"] or match["below"])
    return _temperature(parse_normalized_number(match["number"].strip()), negative, unit)


def _chinese_temperature(text: str) -> Quantity | None:
    match = _ZH_TEMPERATURE.fullmatch(text)
    if match is None:
        return None
    scales = [name for name in (match["prefix"], match["prefix2"], match["suffix"]) if name]
    if len(scales) > 1:
        return None
    unit: TemperatureUnit = _SCALE_WORDS[scales[0]] if scales else "deg"
    value = parse_normalized_number(match["number"].strip())
    if value is not None and match["half"]:
        value = value + 0.5 if isinstance(value, int) and value >= 0 else None
    return _temperature(value, bool(match["below"]), unit)


def parse_temperature(text: str) -> Quantity | None:
    """A temperature as ``Quantity(value, "C" | "F" | "deg")``; None when ``text`` is not one."""
    folded = normalize(text)
    if folded is None:
        return None
    return _english_temperature(folded) or _chinese_temperature(folded)
