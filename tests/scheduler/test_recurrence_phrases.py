"""Spoken repetitions, English and Chinese, parsed into patterns (``ting.values.recurrence``)."""

from __future__ import annotations

import random

import pytest

from ting.values import RecurrencePattern, parse_recurrence
from ting.values.recurrence import sample_en, sample_zh

WEEKDAYS = (0, 1, 2, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every day", RecurrencePattern("daily")),
        ("daily", RecurrencePattern("daily")),
        ("everyday", RecurrencePattern("daily")),
        ("every weekday", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("on weekdays", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("every working day", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("monday through friday", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("every weekend", RecurrencePattern("weekly", weekdays=(5, 6))),
        ("on weekends", RecurrencePattern("weekly", weekdays=(5, 6))),
        ("every Monday and Wednesday", RecurrencePattern("weekly", weekdays=(0, 2))),
        ("every mon, wed & fri", RecurrencePattern("weekly", weekdays=(0, 2, 4))),
        ("mondays", RecurrencePattern("weekly", weekdays=(0,))),
        ("every other monday", RecurrencePattern("weekly", 2, weekdays=(0,))),
        ("every other day", RecurrencePattern("daily", 2)),
        ("every 3 days", RecurrencePattern("daily", 3)),
        ("every third day", RecurrencePattern("daily", 3)),
        ("every 2 weeks on monday and friday", RecurrencePattern("weekly", 2, weekdays=(0, 4))),
        ("every week", RecurrencePattern("weekly")),
        ("every month on the 1st", RecurrencePattern("monthly", month_day=1)),
        ("on the 15th of every month", RecurrencePattern("monthly", month_day=15)),
        ("monthly on the 31st", RecurrencePattern("monthly", month_day=31)),
        ("every year", RecurrencePattern("yearly")),
        ("每天", RecurrencePattern("daily")),
        ("天天", RecurrencePattern("daily")),
        ("每个工作日", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("工作日", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("周一到周五", RecurrencePattern("weekly", weekdays=WEEKDAYS)),
        ("每个周末", RecurrencePattern("weekly", weekdays=(5, 6))),
        ("每逢周末", RecurrencePattern("weekly", weekdays=(5, 6))),
        ("每周一和周三", RecurrencePattern("weekly", weekdays=(0, 2))),
        ("每周一三五", RecurrencePattern("weekly", weekdays=(0, 2, 4))),
        ("每个礼拜天", RecurrencePattern("weekly", weekdays=(6,))),
        ("隔周周一", RecurrencePattern("weekly", 2, weekdays=(0,))),
        ("每隔一天", RecurrencePattern("daily", 2)),
        ("每两天", RecurrencePattern("daily", 2)),
        ("每隔两天", RecurrencePattern("daily", 3)),
        ("每月1号", RecurrencePattern("monthly", month_day=1)),
        ("每个月的十五号", RecurrencePattern("monthly", month_day=15)),
        ("每年", RecurrencePattern("yearly")),
    ],
)
def test_phrases(text: str, expected: RecurrencePattern) -> None:
    assert parse_recurrence(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Monday", "周一", "tomorrow", "at 7", "every hour", "every five minutes", "每月32号", "",
     "banana", "明天", "every month on the 40th"],
)  # fmt: skip
def test_not_a_repetition(text: str) -> None:
    assert parse_recurrence(text) is None


@pytest.mark.parametrize("sample", [sample_en, sample_zh])
def test_samples_parse_back(sample: object) -> None:
    rng = random.Random(3)
    for _ in range(500):
        phrase = sample(rng)  # type: ignore[operator]
        assert parse_recurrence(phrase) is not None, phrase
