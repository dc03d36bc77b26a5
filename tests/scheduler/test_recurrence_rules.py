"""Worked examples of recurrence rules: DST gaps and overlaps, month ends, intervals, text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from ting.errors import ConfigError
from ting.scheduler.recurrence import Recurrence, next_occurrence, occurrences, occurs_on
from ting.values.recurrence import RecurrencePattern

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def test_daily_keeps_wall_time_across_spring_forward() -> None:
    rule = Recurrence("daily", hour=7)
    got = occurrences(rule, local(NEW_YORK, 2026, 3, 6, 8), NEW_YORK, 3)
    assert [g.astimezone(NEW_YORK).hour for g in got] == [7, 7, 7]
    assert (got[1] - got[0]).total_seconds() == 23 * 3600  # the short night


def test_gap_time_moves_forward_by_the_gap() -> None:
    rule = Recurrence("daily", hour=2, minute=30)
    got = next_occurrence(rule, local(NEW_YORK, 2026, 3, 8, 0), NEW_YORK).astimezone(NEW_YORK)
    assert (got.date(), got.hour, got.minute) == (date(2026, 3, 8), 3, 30)
    after = next_occurrence(rule, got, NEW_YORK).astimezone(NEW_YORK)
    assert (after.date(), after.hour, after.minute) == (date(2026, 3, 9), 2, 30)


def test_ambiguous_time_rings_once_at_the_first() -> None:
    rule = Recurrence("daily", hour=1, minute=30)
    first = next_occurrence(rule, local(LONDON, 2026, 10, 25, 0), LONDON)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = next_occurrence(rule, first, LONDON)
    assert second.astimezone(LONDON).date() == date(2026, 10, 26)


def test_southern_hemisphere_gap() -> None:
    rule = Recurrence("daily", hour=2, minute=15)
    got = next_occurrence(rule, local(SYDNEY, 2026, 10, 4, 0), SYDNEY).astimezone(SYDNEY)
    assert (got.day, got.hour, got.minute) == (4, 3, 15)


def test_monthly_31st_uses_last_day_of_short_months() -> None:
    rule = Recurrence("monthly", hour=9, month_day=31)
    got = occurrences(rule, local(SHANGHAI, 2027, 1, 31, 10), SHANGHAI, 3)
    assert [g.astimezone(SHANGHAI).date() for g in got] == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_yearly_29_february_in_common_years() -> None:
    rule = Recurrence("yearly", hour=8, month=2, month_day=29)
    got = occurrences(rule, local(SHANGHAI, 2027, 1, 1), SHANGHAI, 2)
    assert [g.astimezone(SHANGHAI).date() for g in got] == [date(2027, 2, 28), date(2028, 2, 29)]


def test_weekly_several_days_and_every_other_week() -> None:
    rule = Recurrence("weekly", hour=7, weekdays=frozenset({0, 2}), interval=2,
                      start=date(2026, 11, 23))  # fmt: skip
    got = occurrences(rule, local(SHANGHAI, 2026, 11, 23, 0), SHANGHAI, 4)
    assert [g.astimezone(SHANGHAI).date() for g in got] == [
        date(2026, 11, 23), date(2026, 11, 25), date(2026, 12, 7), date(2026, 12, 9),
    ]  # fmt: skip
    assert occurs_on(rule, date(2026, 12, 7)) and not occurs_on(rule, date(2026, 11, 30))


def test_every_other_day_counts_from_start() -> None:
    rule = Recurrence("daily", hour=6, interval=2, start=date(2026, 11, 25))
    got = occurrences(rule, local(SHANGHAI, 2026, 11, 24, 10), SHANGHAI, 3)
    assert [g.astimezone(SHANGHAI).day for g in got] == [25, 27, 29]


def test_from_pattern_fills_defaults_from_start() -> None:
    start = date(2026, 11, 26)  # a Thursday
    weekly = Recurrence.from_pattern(RecurrencePattern("weekly"), 7, 0, start)
    assert weekly.weekdays == frozenset({3})
    monthly = Recurrence.from_pattern(RecurrencePattern("monthly"), 7, 0, start)
    assert monthly.month_day == 26


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FREQ=HOURLY;AT=07:00",
        "FREQ=DAILY",
        "FREQ=DAILY;AT=25:00",
        "FREQ=WEEKLY;AT=07:00",
        "FREQ=WEEKLY;BYDAY=XX;AT=07:00",
        "FREQ=MONTHLY;BYMONTHDAY=32;AT=07:00",
        "FREQ=DAILY;INTERVAL=0;AT=07:00",
        "FREQ=DAILY;AT=07:00;COLOR=RED",
        "FREQ=DAILY;AT=07:00;AT=08:00",
        "FREQ=DAILY;AT=07:00;START=yesterday",
    ],
)
def test_bad_text_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError):
        Recurrence.from_text(text)


def test_text_form() -> None:
    rule = Recurrence("weekly", hour=7, minute=5, weekdays=frozenset({2, 0}), interval=2,
                      start=date(2026, 11, 23))  # fmt: skip
    assert rule.to_text() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;AT=07:05;START=2026-11-23"


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(Recurrence("daily", hour=7), datetime(2026, 1, 1), SHANGHAI)
