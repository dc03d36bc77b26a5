"""Percentages and temperatures."""

from __future__ import annotations

import pytest

from ting.values import Quantity, parse_percentage, parse_temperature


@pytest.mark.parametrize(
    ("text", "value"),
    [("15%", 15.0), ("15 %", 15.0), ("15 percent", 15.0), ("15 per cent", 15.0),
     ("fifteen percent", 15.0), ("3.5%", 3.5), ("百分之十五", 15.0), ("百分之15", 15.0),
     ("15％", 15.0), ("百分之三点五", 3.5), ("百分之百", 100.0), ("百分之负五", -5.0)],
)  # fmt: skip
def test_parse_percentage(text: str, value: float) -> None:
    assert parse_percentage(text) == Quantity(value, "%")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("20 degrees", 20.0, "deg"),
        ("twenty degrees", 20.0, "deg"),
        ("1 degree", 1.0, "deg"),
        ("20°", 20.0, "deg"),
        ("72 fahrenheit", 72.0, "F"),
        ("72 degrees fahrenheit", 72.0, "F"),
        ("72°F", 72.0, "F"),
        ("25 degrees celsius", 25.0, "C"),
        ("-5°C", -5.0, "C"),
        ("-5℃", -5.0, "C"),
        ("minus 5 degrees", -5.0, "deg"),
        ("5 degrees below zero", -5.0, "deg"),
        ("二十度", 20.0, "deg"),
        ("零下五度", -5.0, "deg"),
        ("负五度", -5.0, "deg"),
        ("摄氏二十度", 20.0, "C"),
        ("二十摄氏度", 20.0, "C"),
        ("华氏七十二度", 72.0, "F"),
        ("二十五度半", 25.5, "deg"),
        ("26度", 26.0, "deg"),
    ],
)
def test_parse_temperature(text: str, value: float, unit: str) -> None:
    assert parse_temperature(text) == Quantity(value, unit)


@pytest.mark.parametrize(
    "text",
    ["", "20", "banana", "%", "百分之", "percent", "度", "degrees", "零下-5度", "摄氏华氏二十度",
     "🙂 degrees", "\x00%", "9" * 300 + "%"],
)  # fmt: skip
def test_not_quantities(text: str) -> None:
    assert parse_percentage(text) is None
    assert parse_temperature(text) is None


def test_percentage_is_not_temperature() -> None:
    assert parse_temperature("15%") is None
    assert parse_percentage("20 degrees") is None
