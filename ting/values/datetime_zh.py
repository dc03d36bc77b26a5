"""Chinese date and time phrases: 今天, 明早, 后天, 大后天, 下周三, 下个星期一, 周五, 星期天,
3月3号, 五月一日, 七点, 七点半, 三点一刻, 下午3点15分, 差五分八点, 凌晨, 中午, 晚上, 午夜.

下周三 is the Wednesday of next week (Monday-based); 周三 alone is the nearest one from today on;
这周三/本周三 is this week's, even if it is past.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ting.values.dateparts import (
    CalendarDate,
    Clock,
    Fragment,
    PartOfDay,
    PeriodRef,
    Recognizer,
    RelativeDay,
    WeekdayRef,
    clock,
    minutes_before,
)
from ting.values.numbers import parse_normalized_number

_NUM = r"[零〇一二两三四五六七八九十0-9]"
_WEEK_SHIFTS = MappingProxyType({"下下": 2, "下": 1, "上": -1, "这": 0, "本": 0})
_WEEKDAYS = MappingProxyType(
    {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
     "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
)  # fmt: skip
_RELATIVE_DAYS = MappingProxyType(
    {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明儿": 1, "今天": 0, "今日": 0, "今儿": 0,
     "昨天": -1, "昨日": -1, "昨儿": -1, "大前天": -3, "前天": -2}
)  # fmt: skip
_DAY_WITH_PART = MappingProxyType({"明": 1, "今": 0, "昨": -1})
_PARTS: MappingProxyType[str, PartOfDay] = MappingProxyType(
    {"凌晨": "early_morning", "清晨": "morning", "早晨": "morning", "早上": "morning",
     "上午": "morning", "早": "morning", "中午": "noon", "午间": "noon", "下午": "afternoon",
     "傍晚": "evening", "晚上": "night", "夜里": "night", "夜晚": "night", "半夜": "night",
     "深夜": "night", "晚": "night"}
)  # fmt: skip
_QUARTERS = MappingProxyType({"一": 15, "三": 45})
_HOLIDAYS = MappingProxyType(
    {"圣诞节": (12, 25), "圣诞": (12, 25), "平安夜": (12, 24), "元旦": (1, 1), "情人节": (2, 14),
     "国庆节": (10, 1), "国庆": (10, 1), "劳动节": (5, 1), "儿童节": (6, 1), "万圣节": (10, 31)}
)  # fmt: skip
"""Fixed-date holidays; lunar ones (春节, 中秋节) need a lunar calendar and are not known."""
_YEARS = MappingProxyType({"今年": 0, "明年": 1, "去年": -1})
_ZEROS = ("零", "〇", "0")


def _integer(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_normalized_number(text)
    return value if isinstance(value, int) else None


def _alternation(words: Mapping[str, object]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _relative_day(match: re.Match[str]) -> Fragment:
    return Fragment(day=RelativeDay(_RELATIVE_DAYS[match.group()]))


def _day_with_part(match: re.Match[str]) -> Fragment:
    part: PartOfDay = "morning" if match["part"] == "早" else "night"
    return Fragment(day=RelativeDay(_DAY_WITH_PART[match["day"]]), part=part)


def _weekday(match: re.Match[str]) -> Fragment:
    shift = match["shift"]
    weeks = None if shift is None else _WEEK_SHIFTS[shift]
    return Fragment(day=WeekdayRef(_WEEKDAYS[match["weekday"]], weeks))


def _period(match: re.Match[str]) -> Fragment:
    shift = _WEEK_SHIFTS[match["shift"]]
    return Fragment(day=PeriodRef("month" if match["period"] == "月" else "week", shift))


def _date(match: re.Match[str]) -> Fragment | None:
    year_text = match.groupdict().get("year")
    year = _integer(year_text)
    month = _integer(match.groupdict().get("month"))
    day = _integer(match["day"])
    if (year_text and year is None) or (match.groupdict().get("month") and month is None):
        return None
    if match["day"] and day is None:
        return None
    return Fragment(day=CalendarDate(month, day, year))


def _minute(text: str, unit: str | None) -> int | None:
    """七点十五 → 15, 七点零五 → 5; 七点五 (without 分) is not a time."""
    value = _integer(text)
    if value is not None and value < 10 and not unit and not text.startswith(_ZEROS):
        return None
    return value


def _time(match: re.Match[str]) -> Fragment | None:
    hour = _integer(match["hour"])
    if hour is None:
        return None
    fixed = hour > 12 or hour == 0
    if match["half"]:
        return clock(hour, 30, fixed=fixed)
    if match["quarter"]:
        return clock(hour, _QUARTERS[match["quarter"]], fixed=fixed)
    if match["minute"] is None:
        return clock(hour, fixed=fixed)
    minute = _minute(match["minute"], match["unit"])
    second = _integer(match["second"]) if match["second"] else None
    if minute is None or (match["second"] and second is None):
        return None
    return clock(hour, minute, second, fixed=fixed)


def _minutes_before(match: re.Match[str]) -> Fragment | None:
    return minutes_before(_integer(match["hour"]), _integer(match["minute"]))


def _holiday(match: re.Match[str]) -> Fragment:
    month, day = _HOLIDAYS[match.group()]
    return Fragment(day=CalendarDate(month, day))


def _year(match: re.Match[str]) -> Fragment:
    return Fragment(year_shift=_YEARS[match.group()])


def _part(match: re.Match[str]) -> Fragment:
    return Fragment(part=_PARTS[match["part"]])


_HOUR_MARK = r"(?:点钟|点|时)"
ZH_RECOGNIZERS: tuple[Recognizer, ...] = (
    (re.compile(r"(?P<day>[明今昨])(?P<part>[早晚])(?:上)?"), _day_with_part),
    (re.compile(_alternation(_RELATIVE_DAYS)), _relative_day),
    (re.compile(_alternation(_HOLIDAYS)), _holiday),
    (re.compile(_alternation(_YEARS)), _year),
    (re.compile(r"(?:(?P<shift>下下|下|上|这|本)个?)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天](?![点时])|[1-7](?![点时0-9:]))"),
     _weekday),
    (re.compile(r"(?P<shift>下下|下|上|这|本)个?(?P<period>周|星期|礼拜|月)"), _period),
    (re.compile(rf"(?:(?P<year>[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})年)?(?P<month>{_NUM}{{1,3}})月"
                rf"(?:(?P<day>{_NUM}{{1,3}})[日号])?"), _date),
    (re.compile(rf"(?P<day>{_NUM}{{1,3}})[日号]"), _date),
    (re.compile(rf"差(?P<minute>{_NUM}{{1,3}})分?钟?(?P<hour>{_NUM}{{1,3}}){_HOUR_MARK}"),
     _minutes_before),
    (re.compile(
        rf"(?P<hour>{_NUM}{{1,3}}){_HOUR_MARK}(?:(?P<half>半)|(?P<quarter>[一三])刻"
        rf"|(?P<minute>{_NUM}{{1,3}})(?P<unit>分钟?)?(?:(?P<second>{_NUM}{{1,3}})秒钟?)?|整)?"
    ), _time),
    (re.compile(r"午夜"), lambda _: Fragment(clock=Clock(0, midnight=True))),
    (re.compile(rf"(?P<part>{_alternation(_PARTS)})"), _part),
)  # fmt: skip
"""Most specific first: each recognizer's matches are cut out before the next one runs."""
