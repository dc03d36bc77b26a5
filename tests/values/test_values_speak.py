"""Speakable formatting, and that what Ting says reads back to the same value."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ting.errors import InputError, LanguageError
from ting.nlu.types import ParseContext
from ting.values import (
    Quantity,
    parse_datetime,
    parse_percentage,
    parse_temperature,
    speak_date,
    speak_datetime,
    speak_duration,
    speak_full_date,
    speak_number,
    speak_quantity,
    speak_time,
    speak_weekday,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 10, 15, tzinfo=SHANGHAI)


def _at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [(25, "25", "25"), (3.5, "3.5", "3.5"), (3.0, "3", "3"), (-5, "-5", "负5"), (0.1 + 0.2, "0.3",
     "0.3"), (-0.0, "0", "0"), (1_000_000, "1000000", "1000000")],
)  # fmt: skip
def test_speak_number(value: float, en: str, zh: str) -> None:
    assert speak_number(value, "en") == en
    assert speak_number(value, "zh") == zh


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_speak_number_refuses_non_finite(value: float) -> None:
    with pytest.raises(InputError):
        speak_number(value, "en")


@pytest.mark.parametrize(
    ("moment", "en", "zh"),
    [
        (_at(24, 7, 30), "7:30 AM", "早上7点30分"),
        (_at(24, 19), "7 PM", "晚上7点"),
        (_at(24, 15), "3 PM", "下午3点"),
        (_at(24, 21), "9 PM", "晚上9点"),
        (_at(24, 12), "noon", "中午12点"),
        (_at(24, 2), "2 AM", "凌晨2点"),
        (_at(24, 0), "midnight", "凌晨0点"),
        (_at(24, 10, 5), "10:05 AM", "上午10点5分"),
        (_at(24, 12, 30), "12:30 PM", "中午12点30分"),
    ],
)
def test_speak_time(moment: datetime, en: str, zh: str) -> None:
    assert speak_time(moment, "en", NOW) == en
    assert speak_time(moment, "zh", NOW) == zh


def test_speak_time_uses_the_zone_of_now() -> None:
    utc_moment = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("UTC"))
    assert speak_time(utc_moment, "en", NOW) == "7 PM"


@pytest.mark.parametrize(
    ("moment", "en", "zh"),
    [
        (_at(24, 9), "today", "今天"),
        (_at(25, 9), "tomorrow", "明天"),
        (_at(26, 9), "Thursday, November 26", "后天"),
        (_at(23, 9), "yesterday", "昨天"),
        (_at(4, 9, month=3, year=2027), "Thursday, March 4", "3月4日星期四"),
        (_at(4, 9, month=12, year=2027), "Saturday, December 4, 2027", "2027年12月4日星期六"),
    ],
)
def test_speak_date(moment: datetime, en: str, zh: str) -> None:
    assert speak_date(moment, "en", NOW) == en
    assert speak_date(moment, "zh", NOW) == zh


@pytest.mark.parametrize(
    ("moment", "en", "zh"),
    [
        (_at(25, 7), "tomorrow at 7 AM", "明天早上7点"),
        (_at(24, 19, 30), "today at 7:30 PM", "今天晚上7点30分"),
        (_at(2, 15, month=12), "Wednesday, December 2 at 3 PM", "12月2日星期三下午3点"),
        (_at(26, 0), "tomorrow at midnight", "后天凌晨0点"),
    ],
)
def test_speak_datetime(moment: datetime, en: str, zh: str) -> None:
    assert speak_datetime(moment, "en", NOW) == en
    assert speak_datetime(moment, "zh", NOW) == zh


def test_speak_full_date() -> None:
    assert speak_full_date(_at(24, 9), "en") == "Tuesday, November 24"
    assert speak_full_date(_at(24, 9).date(), "zh") == "11月24日星期二"
    far = _at(4, 9, month=12, year=2027)
    assert speak_full_date(far, "en", NOW) == "Saturday, December 4, 2027"
    assert speak_full_date(far, "zh", NOW) == "2027年12月4日星期六"
    late_utc = datetime(2026, 11, 24, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert speak_full_date(late_utc, "en", NOW) == "Wednesday, November 25"


def test_speak_weekday() -> None:
    assert speak_weekday(_at(25, 0).date(), "en") == "Wednesday"
    assert speak_weekday(_at(29, 0).date(), "zh") == "星期天"


@pytest.mark.parametrize("zone", [SHANGHAI, NEW_YORK])
@given(
    minutes=st.integers(min_value=1, max_value=420 * 24 * 60),
    language=st.sampled_from(["en", "zh"]),
)
def test_spoken_datetimes_parse_back(zone: ZoneInfo, minutes: int, language: str) -> None:
    now = datetime(2026, 2, 20, 10, 15, tzinfo=zone)
    moment = (now + timedelta(minutes=minutes)).replace(second=0).astimezone(zone)
    moment = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    assume(moment.fold == 0)  # the repeated fall-back hour cannot be told apart by voice
    spoken = speak_datetime(moment, language, now)
    value = parse_datetime(spoken, ParseContext(now, zone))
    assert value is not None, spoken
    assert value.when.astimezone(ZoneInfo("UTC")) == moment.astimezone(ZoneInfo("UTC")), spoken


@pytest.mark.parametrize(
    ("quantity", "en", "zh"),
    [
        (Quantity(15.0, "%"), "15%", "百分之15"),
        (Quantity(20.0, "C"), "20 degrees Celsius", "摄氏20度"),
        (Quantity(-5.0, "deg"), "-5 degrees", "零下5度"),
        (Quantity(72.5, "F"), "72.5 degrees Fahrenheit", "华氏72.5度"),
        (Quantity(1.0, "deg"), "1 degree", "1度"),
    ],
)
def test_speak_quantity_reads_back(quantity: Quantity, en: str, zh: str) -> None:
    assert speak_quantity(quantity, "en") == en
    assert speak_quantity(quantity, "zh") == zh
    parse = parse_percentage if quantity.unit == "%" else parse_temperature
    assert parse(en) == quantity
    assert parse(zh) == quantity


def test_unsupported_language_and_negative_duration() -> None:
    with pytest.raises(LanguageError) as caught:
        speak_duration(timedelta(minutes=5), "fr")
    assert caught.value.language == "fr"
    with pytest.raises(InputError):
        speak_duration(timedelta(minutes=-5), "en")
    with pytest.raises(LanguageError):
        speak_time(NOW, "de", NOW)
