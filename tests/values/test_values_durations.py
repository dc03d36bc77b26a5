"""Durations in English, Chinese and shorthand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ting.values import parse_duration, speak_duration

H, M, S = 3600, 60, 1

DURATIONS = [
    ("5 minutes", 5 * M),
    ("an hour and a half", 90 * M),
    ("1.5 hours", 90 * M),
    ("90 seconds", 90 * S),
    ("two hours 15 minutes", 2 * H + 15 * M),
    ("2 hours and 30 minutes", 2 * H + 30 * M),
    ("a minute", M),
    ("a second", S),
    ("half an hour", 30 * M),
    ("quarter of an hour", 15 * M),
    ("a quarter of an hour", 15 * M),
    ("three quarters of an hour", 45 * M),
    ("two and a half hours", 150 * M),
    ("a minute and a half", 90 * S),
    ("1h30m", 90 * M),
    ("1h30", 90 * M),
    ("10 mins", 10 * M),
    ("3 days", 3 * 86_400),
    ("a week", 7 * 86_400),
    ("1 day, 2 hours and 5 seconds", 86_400 + 2 * H + 5 * S),
    ("Five Minutes", 5 * M),
    ("一个半小时", 90 * M),
    ("五分钟", 5 * M),
    ("90 秒", 90 * S),
    ("两个小时三十分钟", 2 * H + 30 * M),
    ("半小时", 30 * M),
    ("半个小时", 30 * M),
    ("一刻钟", 15 * M),
    ("三刻钟", 45 * M),
    ("三分半", 3 * M + 30 * S),
    ("1小时20分", 80 * M),
    ("一小时二十", 80 * M),
    ("一小时半", 90 * M),
    ("两个钟头", 2 * H),
    ("两周", 14 * 86_400),
    ("5 分钟", 5 * M),
    ("1分5秒", 65 * S),
    ("0 minutes", 0),
    ("another minute", M),
    ("5 more minutes", 5 * M),
    ("a minute more", M),
    ("2 minuets", 2 * M),
    ("2分种", 2 * M),
]

NOT_DURATIONS = [
    "banana", "5", "", "minutes", "hour", "-5 minutes", "5 minutes 2 hours", "2 hours 2 hours",
    "明天", "a banana minute", "99999999999999999 weeks", "🙂 minutes", "\x00", "一小时99",
]  # fmt: skip


@pytest.mark.parametrize(("text", "seconds"), DURATIONS)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "en", "zh"),
    [
        (5 * M, "5 minutes", "5分钟"),
        (90 * M, "1 hour and 30 minutes", "1小时30分钟"),
        (65, "1 minute and 5 seconds", "1分5秒"),
        (H, "1 hour", "1小时"),
        (0, "0 seconds", "0秒"),
        (86_400 + 2 * H + 5, "1 day, 2 hours and 5 seconds", "1天2小时5秒"),
    ],
)
def test_speak_duration(seconds: int, en: str, zh: str) -> None:
    assert speak_duration(timedelta(seconds=seconds), "en") == en
    assert speak_duration(timedelta(seconds=seconds), "zh") == zh


@given(st.integers(min_value=0, max_value=40 * 86_400), st.sampled_from(["en", "zh"]))
def test_spoken_durations_parse_back(seconds: int, language: str) -> None:
    duration = timedelta(seconds=seconds)
    assert parse_duration(speak_duration(duration, language)) == duration


@pytest.mark.parametrize(("text", "seconds"), [("5 分钟", 300), ("一个 半 小时", 5400)])
def test_spaces_next_to_chinese_mean_nothing(text: str, seconds: int) -> None:
    found = parse_duration(text)
    assert found is not None and found.total_seconds() == seconds
