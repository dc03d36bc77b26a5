"""Numbers in digits, English words, Chinese numerals and mixtures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ting.values import (
    find_numbers,
    parse_integer,
    parse_number,
    to_chinese_numeral,
    to_english_words,
)

NUMBERS = [
    ("25", 25),
    ("3.5", 3.5),
    ("1,000", 1000),
    ("12,345,678", 12_345_678),
    ("-5", -5),
    ("0.25", 0.25),
    ("twenty five", 25),
    ("twenty-five", 25),
    ("a hundred and eight", 108),
    ("one hundred eight", 108),
    ("one point five", 1.5),
    ("point five", 0.5),
    ("a dozen", 12),
    ("two dozen", 24),
    ("half", 0.5),
    ("two and a half", 2.5),
    ("fifteen hundred", 1500),
    ("a thousand", 1000),
    ("two million three hundred thousand", 2_300_000),
    ("minus three", -3),
    ("zero", 0),
    ("5 thousand", 5000),
    ("1.5 million", 1_500_000),
    ("2.5k", 2500),
    ("两", 2),
    ("二十五", 25),
    ("一百零八", 108),
    ("三点五", 3.5),
    ("一万二", 12000),
    ("两千五", 2500),
    ("一百五", 150),
    ("十", 10),
    ("十五", 15),
    ("零", 0),
    ("半", 0.5),
    ("俩", 2),
    ("仨", 3),
    ("3千", 3000),
    ("2万", 20000),
    ("3.5万", 35000),
    ("一点五万", 15000),
    ("1万2000", 12000),
    ("一亿两千万", 120_000_000),
    ("一万零一十", 10010),
    ("二零二六", 2026),
    ("负五", -5),
    ("零点二五", 0.25),
    ("ＴＷＥＮＴＹ ５", 25),
    ("２５", 25),
    ("兩百", 200),
    ("  Twenty Five  ", 25),
]

NOT_NUMBERS = [
    "",
    "   ",
    "banana",
    "five five",
    "twenty twenty",
    "a",
    "and",
    "thousand",
    "百",
    "十十",
    "二十三百",
    "一百零",
    "五六",
    "1,00",
    "3点",
    "🙂",
    "\x00\x01",
    "one hundred hundred",
    "x" * 10_000,
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number(text: str, expected: float | None) -> None:
    value = parse_number(text)
    assert value == expected
    if expected is not None:
        assert isinstance(value, int) == float(expected).is_integer()


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_parse_integer_rejects_fractions() -> None:
    assert parse_integer("二十五") == 25
    assert parse_integer("3.5") is None
    assert parse_integer("half") is None
    assert parse_integer("banana") is None


@pytest.mark.parametrize(
    ("number", "written"),
    [(0, "零"), (10, "十"), (15, "十五"), (20, "二十"), (105, "一百零五"), (110, "一百一十"),
     (1005, "一千零五"), (1050, "一千零五十"), (10010, "一万零一十"), (12000, "一万二千"),
     (100_000_001, "一亿零一"), (-5, "负五")],
)  # fmt: skip
def test_to_chinese_numeral(number: int, written: str) -> None:
    assert to_chinese_numeral(number) == written


@given(st.integers(min_value=0, max_value=99_999))
def test_chinese_numerals_read_back(number: int) -> None:
    assert parse_number(to_chinese_numeral(number)) == number


@given(st.integers(min_value=0, max_value=10**11))
def test_large_chinese_numerals_read_back(number: int) -> None:
    assert parse_number(to_chinese_numeral(number)) == number


@given(st.integers(min_value=0, max_value=10**11))
def test_english_words_read_back(number: int) -> None:
    assert parse_number(to_english_words(number)) == number


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_digits_read_back(number: int) -> None:
    assert parse_number(str(number)) == number
    assert parse_number(f"{number:,}") == number


def test_find_numbers_gives_spans_in_mixed_text() -> None:
    text = "set a timer for 五分钟 and twenty five seconds"
    found = find_numbers(text)
    assert found == [(16, 17, 5), (24, 35, 25)]
    assert [text[start:end] for start, end, _ in found] == ["五", "twenty five"]


def test_find_numbers_mixed_forms() -> None:
    text = "a dozen eggs, 1,000 apples, 3千 pears, 一百零八 beads"
    assert [(text[s:e], v) for s, e, v in find_numbers(text)] == [
        ("a dozen", 12), ("1,000", 1000), ("3千", 3000), ("一百零八", 108),
    ]  # fmt: skip


def test_find_numbers_of_nothing() -> None:
    assert find_numbers("no numbers here") == []
    assert find_numbers("") == []


@given(st.text(max_size=80))
def test_find_numbers_spans_parse(text: str) -> None:
    for start, end, value in find_numbers(text):
        assert 0 <= start < end <= len(text)
        assert parse_number(text[start:end]) == value
