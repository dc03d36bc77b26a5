"""Dates and times resolved against a fixed "now" (Tuesday 2026-11-24 10:15 in Shanghai), and
across the 2026 DST changes in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ting.nlu.types import ParseContext
from ting.values import DateTimeValue, Grain, parse_date, parse_datetime, parse_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
CTX = ParseContext(now=datetime(2026, 11, 24, 10, 15, tzinfo=SHANGHAI), timezone=SHANGHAI)

# text, local wall time, has_date, has_time, grain, relative
CASES = [
    ("tomorrow at 7", "2026-11-25 07:00", True, True, "hour", True),
    ("tomorrow at 3", "2026-11-25 15:00", True, True, "hour", True),
    ("tomorrow at 12", "2026-11-25 12:00", True, True, "hour", True),
    ("in 20 minutes", "2026-11-24 10:35", True, True, "minute", True),
    ("in an hour", "2026-11-24 11:15", True, True, "hour", True),
    ("20 minutes from now", "2026-11-24 10:35", True, True, "minute", True),
    ("in 90 seconds", "2026-11-24 10:16:30", True, True, "second", True),
    ("in 3 days", "2026-11-27 00:00", True, False, "day", True),
    ("2 hours ago", "2026-11-24 08:15", True, True, "hour", True),
    ("7 am", "2026-11-25 07:00", False, True, "hour", False),
    ("7:30 pm", "2026-11-24 19:30", False, True, "minute", False),
    ("7:30 P.M.", "2026-11-24 19:30", False, True, "minute", False),
    ("at noon", "2026-11-24 12:00", False, True, "hour", False),
    ("midnight", "2026-11-25 00:00", False, True, "hour", False),
    ("tonight at 9", "2026-11-24 21:00", True, True, "hour", True),
    ("tonight at 1", "2026-11-25 01:00", True, True, "hour", True),
    ("next Wednesday afternoon", "2026-12-02 12:00", True, True, "part_of_day", True),
    ("this friday", "2026-11-27 00:00", True, False, "day", True),
    ("on Monday", "2026-11-30 00:00", True, False, "day", True),
    ("last monday", "2026-11-16 00:00", True, False, "day", True),
    ("tuesday", "2026-11-24 00:00", True, False, "day", True),
    ("tuesday at 9", "2026-12-01 09:00", True, True, "hour", True),
    ("tuesday at 5 pm", "2026-11-24 17:00", True, True, "hour", True),
    ("March 3rd at 5pm", "2027-03-03 17:00", True, True, "hour", False),
    ("3rd of march", "2027-03-03 00:00", True, False, "day", False),
    ("march 3rd, 2027", "2027-03-03 00:00", True, False, "day", False),
    ("Wednesday, March 3", "2027-03-03 00:00", True, False, "day", False),
    ("december 1", "2026-12-01 00:00", True, False, "day", False),
    ("3/14", "2027-03-14 00:00", True, False, "day", False),
    ("25/12", "2026-12-25 00:00", True, False, "day", False),
    ("2026-12-01", "2026-12-01 00:00", True, False, "day", False),
    ("on the 3rd", "2026-12-03 00:00", True, False, "day", False),
    ("the day after tomorrow", "2026-11-26 00:00", True, False, "day", True),
    ("today", "2026-11-24 00:00", True, False, "day", True),
    ("yesterday", "2026-11-23 00:00", True, False, "day", True),
    ("next week", "2026-11-30 00:00", True, False, "week", True),
    ("next month", "2026-12-01 00:00", True, False, "month", True),
    ("half past seven", "2026-11-24 19:30", False, True, "minute", False),
    ("quarter to eight", "2026-11-24 19:45", False, True, "minute", False),
    ("ten past 11", "2026-11-24 11:10", False, True, "minute", False),
    ("7 o'clock", "2026-11-24 19:00", False, True, "hour", False),
    ("at seven thirty", "2026-11-24 19:30", False, True, "minute", False),
    ("at 7", "2026-11-24 19:00", False, True, "hour", False),
    ("at 11", "2026-11-24 11:00", False, True, "hour", False),
    ("15:30", "2026-11-24 15:30", False, True, "minute", False),
    ("07:30", "2026-11-25 07:30", False, True, "minute", False),
    ("this morning", "2026-11-24 06:00", True, True, "part_of_day", True),
    ("in the evening", "2026-11-24 18:00", False, True, "part_of_day", False),
    ("tomorrow morning", "2026-11-25 06:00", True, True, "part_of_day", True),
    ("tomorrow at midnight", "2026-11-26 00:00", True, True, "hour", True),
    ("明早七点", "2026-11-25 07:00", True, True, "hour", True),
    ("明天早上七点半", "2026-11-25 07:30", True, True, "minute", True),
    ("下周三下午三点", "2026-12-02 15:00", True, True, "hour", True),
    ("后天", "2026-11-26 00:00", True, False, "day", True),
    ("大后天", "2026-11-27 00:00", True, False, "day", True),
    ("今晚九点", "2026-11-24 21:00", True, True, "hour", True),
    ("下午3点15分", "2026-11-24 15:15", False, True, "minute", False),
    ("三点一刻", "2026-11-24 15:15", False, True, "minute", False),
    ("十分钟后", "2026-11-24 10:25", True, True, "minute", True),
    ("两个小时以后", "2026-11-24 12:15", True, True, "hour", True),
    ("三天后", "2026-11-27 00:00", True, False, "day", True),
    ("周五", "2026-11-27 00:00", True, False, "day", True),
    ("星期天", "2026-11-29 00:00", True, False, "day", True),
    ("下个星期一", "2026-11-30 00:00", True, False, "day", True),
    ("这周一", "2026-11-23 00:00", True, False, "day", True),
    ("3月3号", "2027-03-03 00:00", True, False, "day", False),
    ("12月1日", "2026-12-01 00:00", True, False, "day", False),
    ("2027年3月3日", "2027-03-03 00:00", True, False, "day", False),
    ("3月3日星期三", "2027-03-03 00:00", True, False, "day", False),
    ("五月一日上午十点", "2027-05-01 10:00", True, True, "hour", False),
    ("中午", "2026-11-24 12:00", False, True, "part_of_day", False),
    ("凌晨两点", "2026-11-25 02:00", False, True, "hour", False),
    ("晚上八点", "2026-11-24 20:00", False, True, "hour", False),
    ("晚上十二点", "2026-11-25 00:00", False, True, "hour", False),
    ("七点零五", "2026-11-24 19:05", False, True, "minute", False),
    ("差五分八点", "2026-11-24 19:55", False, True, "minute", False),
    ("九点整", "2026-11-24 21:00", False, True, "hour", False),
    ("下午15点", "2026-11-24 15:00", False, True, "hour", False),
    ("下个月", "2026-12-01 00:00", True, False, "month", True),
    ("下周3点钟", "2026-11-30 15:00", True, True, "hour", True),
    ("明天 7 pm", "2026-11-25 19:00", True, True, "hour", True),
    ("1 分钟后", "2026-11-24 10:16", True, True, "minute", True),
    ("2月29号", "2028-02-29 00:00", True, False, "day", False),
    ("明天凌晨0点", "2026-11-25 00:00", True, True, "hour", True),
    ("tomorrow's", "2026-11-25 00:00", True, False, "day", True),
    ("friday next week", "2026-12-04 00:00", True, False, "day", True),
    ("下周的周五", "2026-12-04 00:00", True, False, "day", True),
    ("a week from today", "2026-12-01 00:00", True, False, "day", True),
    ("christmas this year", "2026-12-25 00:00", True, False, "day", False),
    ("new year's day", "2027-01-01 00:00", True, False, "day", False),
    ("christmas eve at 7 pm", "2026-12-24 19:00", True, True, "hour", False),
    ("今年圣诞节", "2026-12-25 00:00", True, False, "day", False),
    ("元旦", "2027-01-01 00:00", True, False, "day", False),
    ("国庆节晚上八点", "2027-10-01 20:00", True, True, "hour", False),
]


def _local(text: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


@pytest.mark.parametrize(("text", "when", "has_date", "has_time", "grain", "relative"), CASES)
def test_parse_datetime(
    text: str, when: str, has_date: bool, has_time: bool, grain: Grain, relative: bool
) -> None:
    value = parse_datetime(text, CTX)
    assert value == DateTimeValue(_local(when, SHANGHAI), has_date, has_time, grain, relative)
    assert value is not None and value.when.tzinfo is SHANGHAI


INVALID = [
    "25 o'clock", "13 pm", "0 am", "7:75", "2月30号", "february 30", "13/13", "三点五", "早上15点",
    "banana", "7", "", "tomorrow tomorrow", "明天后天", "at seven banana", "\x00", "🙂🙂",
    "in banana minutes", "傍晚十二点", "next year", "this year at 5", "今年明天",
    "march 4th wednesday", "3月4日星期三", "明天" * 200,
]  # fmt: skip


@pytest.mark.parametrize("text", INVALID)
def test_invalid_datetimes_are_none(text: str) -> None:
    assert parse_datetime(text, CTX) is None


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(6, "2026-11-24 07:00"), (10, "2026-11-24 19:00"), (20, "2026-11-25 07:00")],
)
def test_ambiguous_hour_is_the_next_occurrence(hour: int, expected: str) -> None:
    ctx = ParseContext(datetime(2026, 11, 24, hour, 0, tzinfo=SHANGHAI), SHANGHAI)
    for text in ("at 7", "七点"):
        value = parse_datetime(text, ctx)
        assert value is not None and value.when == _local(expected, SHANGHAI)


def test_past_part_of_day_moves_to_tomorrow() -> None:
    ctx = ParseContext(datetime(2026, 11, 24, 19, 0, tzinfo=SHANGHAI), SHANGHAI)
    value = parse_datetime("afternoon", ctx)
    assert value is not None and value.when == _local("2026-11-25 12:00", SHANGHAI)


def test_now_in_another_zone_resolves_in_the_device_zone() -> None:
    ctx = ParseContext(datetime(2026, 11, 24, 2, 15, tzinfo=ZoneInfo("UTC")), SHANGHAI)
    value = parse_datetime("tomorrow at 9 am", ctx)
    assert value is not None and value.when == _local("2026-11-25 09:00", SHANGHAI)


# New York: clocks spring forward at 2026-03-08 02:00 and fall back at 2026-11-01 02:00.
BEFORE_SPRING = ParseContext(datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK), NEW_YORK)
BEFORE_FALL = ParseContext(datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK), NEW_YORK)


@pytest.mark.parametrize(
    ("ctx", "text", "iso"),
    [
        (BEFORE_SPRING, "tomorrow at noon", "2026-03-08T12:00:00-04:00"),
        (BEFORE_SPRING, "in 24 hours", "2026-03-08T13:00:00-04:00"),
        (BEFORE_SPRING, "in 1 day", "2026-03-08T00:00:00-05:00"),
        (BEFORE_SPRING, "tomorrow at 2:30 am", "2026-03-08T03:30:00-04:00"),
        (BEFORE_SPRING, "明天凌晨两点半", "2026-03-08T03:30:00-04:00"),
        (BEFORE_SPRING, "tomorrow at 9", "2026-03-08T09:00:00-04:00"),
        (BEFORE_FALL, "tomorrow at noon", "2026-11-01T12:00:00-05:00"),
        (BEFORE_FALL, "in 24 hours", "2026-11-01T11:00:00-05:00"),
        (BEFORE_FALL, "tomorrow at 1:30 am", "2026-11-01T01:30:00-04:00"),
        (BEFORE_FALL, "明天早上九点", "2026-11-01T09:00:00-05:00"),
        (BEFORE_FALL, "in 20 minutes", "2026-10-31T12:20:00-04:00"),
    ],
)
def test_dst_changes(ctx: ParseContext, text: str, iso: str) -> None:
    value = parse_datetime(text, ctx)
    assert value is not None
    assert value.when.isoformat() == iso
    assert value.when.utcoffset() == datetime.fromisoformat(iso).utcoffset()


def test_relative_offset_is_exact_across_dst() -> None:
    ctx = ParseContext(datetime(2026, 3, 8, 1, 50, tzinfo=NEW_YORK), NEW_YORK)
    value = parse_datetime("in 20 minutes", ctx)
    assert value is not None
    assert value.when.isoformat() == "2026-03-08T03:10:00-04:00"
    # same-zone subtraction in Python is wall-clock arithmetic, so compare in UTC
    assert value.when.astimezone(UTC) - ctx.now.astimezone(UTC) == timedelta(minutes=20)


def test_date_and_time_helpers() -> None:
    assert parse_date("下周三下午三点", CTX) == date(2026, 12, 2)
    assert parse_date("7 pm", CTX) is None
    assert parse_time("下午三点", CTX) == time(15, 0)
    assert parse_time("tomorrow", CTX) is None
    assert parse_time("banana", CTX) is None
