"""Bad input never escapes as an unexpected exception: parsers answer None."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.nlu.types import ParseContext
from ting.values import VALUE_TYPES, find_numbers, parse_value

CTX = ParseContext(datetime(2026, 11, 24, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai")),
                   ZoneInfo("Asia/Shanghai"))  # fmt: skip

NASTY = [
    "", " ", "\x00", "\t\n\r", "\u200b", "🙂" * 50, "a" * 100_000, "一" * 255, "9" * 255,
    "9" * 250 + " days", "9" * 250 + "%", "9" * 250 + "度", "1e309", "nan", "inf", "-", ".",
    "点", "万", "亿亿", "负", "and a half", "半半", "in", "in in", "后", "以后", "点点点",
    "99999999999999999999 hours from now", "in 99999999999 weeks", "9999年1月1号",
    "0年1月1号", "00:00", "24:00", "12:60", "周", "下下下周", "%%", "°", "°C",
    "one point", "point", "minus", "a dozen dozen", "2/30", "0/0", "13/45/2026",
]  # fmt: skip


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
def test_nasty_text(value_type: str, text: str) -> None:
    parse_value(value_type, text, CTX)  # returns a value or None; must not raise


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(VALUE_TYPES)), st.text(max_size=60))
def test_arbitrary_text(value_type: str, text: str) -> None:
    parse_value(value_type, text, CTX)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(VALUE_TYPES)),
    st.lists(
        st.sampled_from(
            ["明天", "下午", "三", "点", "半", "分钟", "后", "at", "7", "pm", "in", "tomorrow",
             "minutes", "twenty", "and", "a", "half", "周", "号", "月", "十", "度", "%", ":",
             "30", "/", "零下", "of", "the", "hour", "个", "quarter", "to", "past"]
        ),
        max_size=8,
    ),
)  # fmt: skip
def test_word_salad(value_type: str, words: list[str]) -> None:
    for joiner in ("", " "):
        parse_value(value_type, joiner.join(words), CTX)


def test_huge_text_is_refused_quickly() -> None:
    assert parse_value("number", "1" * 10_000, CTX) is None
    assert find_numbers("x" * 100_000) == []
