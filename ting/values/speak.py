"""Values written the way a reply should say them, in English ("en") or Chinese ("zh").

Chinese replies keep Arabic digits (the TTS reads them) but use Chinese units and parts of the
day: 5分钟, 1小时30分钟, 下午3点, 3月4日星期三. Everything here reads back with the parsers:
``parse_duration(speak_duration(d, lang)) == d`` for whole seconds, and a spoken date and time
parses to the same minute.

Midnight is spoken as the end of the previous day in English ("tomorrow at midnight" is the
00:00 that starts the day after tomorrow) and as 凌晨0点 of the same day in Chinese.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from types import MappingProxyType

from ting.errors import InputError, LanguageError
from ting.nlu.types import SUPPORTED_LANGUAGES
from ting.values.model import Quantity
from ting.values.numbers import Number

_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ZH_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期天")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_EN_RELATIVE_DAYS = MappingProxyType({-1: "yesterday", 0: "today", 1: "tomorrow"})
_ZH_RELATIVE_DAYS = MappingProxyType({-2: "前天", -1: "昨天", 0: "今天", 1: "明天", 2: "后天"})
_ZH_SCALES = MappingProxyType({"C": "摄氏", "F": "华氏"})
_EN_SCALES = MappingProxyType({"C": " Celsius", "F": " Fahrenheit"})
_EN_UNITS = (("day", 86_400), ("hour", 3600), ("minute", 60), ("second", 1))
_ZH_UNITS = (("天", 86_400), ("小时", 3600), ("分钟", 60), ("秒", 1))
_ZH_PARTS = ((5, "凌晨"), (8, "早上"), (11, "上午"), (12, "中午"), (17, "下午"), (23, "晚上"))
"""(last hour, name): hours up to and including the first number get that name."""
_YEAR_OMITTED_DAYS = 183
"""A date in another year is said without its year when it is at most this many days ahead."""
_DECIMALS = 6


def _check_language(language: str) -> None:
    if language not in SUPPORTED_LANGUAGES:
        raise LanguageError(f"Ting does not speak {language!r}", language)


def speak_number(value: Number, language: str) -> str:
    """25 → "25", 3.5 → "3.5", 3.0 → "3"; negative numbers are "-5" in English, "负5" in
    Chinese. Raises InputError for NaN and infinity."""
    _check_language(language)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("that is not a number I can say")
    if isinstance(value, float):
        text = f"{round(value, _DECIMALS):.{_DECIMALS}f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    if text in ("-0", ""):
        text = "0"
    if language == "zh" and text.startswith("-"):
        return "负" + text[1:]
    return text


def _whole_seconds(duration: timedelta) -> int:
    seconds = round(duration.total_seconds())
    if seconds < 0:
        raise InputError("a duration cannot be negative")
    return seconds


def _split(seconds: int) -> list[tuple[int, int]]:
    """[(unit index, count)] for the nonzero units of ``seconds``, largest first."""
    parts = []
    for index, (_, size) in enumerate(_EN_UNITS):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append((index, count))
    return parts


def speak_duration(duration: timedelta, language: str) -> str:
    """ "5 minutes", "1 hour and 30 minutes" / 5分钟, 1小时30分钟, 1分5秒 (whole seconds)."""
    _check_language(language)
    parts = _split(_whole_seconds(duration)) or [(3, 0)]
    if language == "zh":
        words = []
        for position, (index, count) in enumerate(parts):
            unit = _ZH_UNITS[index][0]
            if unit == "分钟" and position + 1 < len(parts):
                unit = "分"
            words.append(f"{count}{unit}")
        return "".join(words)
    words = [f"{count} {_EN_UNITS[index][0]}{'' if count == 1 else 's'}" for index, count in parts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _local(moment: datetime, now: datetime) -> datetime:
    return moment.astimezone(now.tzinfo) if moment.tzinfo and now.tzinfo else moment


def speak_weekday(day: date, language: str) -> str:
    """ "Wednesday" / 星期三."""
    _check_language(language)
    return (_ZH_WEEKDAYS if language == "zh" else _EN_WEEKDAYS)[day.weekday()]


def _english_clock(moment: datetime) -> str:
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'AM' if moment.hour < 12 else 'PM'}"


def _chinese_clock(moment: datetime) -> str:
    part = next(name for last, name in _ZH_PARTS if moment.hour <= last)
    hour = moment.hour - 12 if moment.hour > 12 else moment.hour
    minutes = f"{moment.minute}分" if moment.minute else ""
    return f"{part}{hour}点{minutes}"


def speak_time(moment: datetime, language: str, now: datetime) -> str:
    """The clock time in ``now``'s time zone, to the minute: "7:30 AM", "7 PM", "noon" /
    早上7点30分, 下午3点, 晚上9点, 中午12点, 凌晨2点."""
    _check_language(language)
    local = _local(moment, now)
    return _chinese_clock(local) if language == "zh" else _english_clock(local)


def _days_between(moment: datetime, now: datetime) -> int:
    return (_local(moment, now).date() - _local(now, now).date()).days


def _needs_year(day: date, today: date) -> bool:
    return day.year != today.year and not 0 < (day - today).days <= _YEAR_OMITTED_DAYS


def _speak_day(day: date, today: date, language: str) -> str:
    relative = _ZH_RELATIVE_DAYS if language == "zh" else _EN_RELATIVE_DAYS
    offset = (day - today).days
    if offset in relative:
        return relative[offset]
    return speak_full_date(day, language, datetime.combine(today, datetime.min.time()))


def speak_date(moment: datetime, language: str, now: datetime) -> str:
    """ "today", "tomorrow", "Wednesday, March 4" / 今天, 明天, 后天, 3月4日星期三 (with the year
    when it is not the current one and the date is not within the next half year)."""
    _check_language(language)
    return _speak_day(_local(moment, now).date(), _local(now, now).date(), language)


def speak_full_date(moment: date, language: str, now: datetime | None = None) -> str:
    """The date without "today"/"tomorrow": "Tuesday, November 24" / 11月24日星期二; with the
    year when ``now`` is given and the date is in another year and not within the next half
    year. A datetime is taken in ``now``'s time zone when ``now`` is given."""
    _check_language(language)
    if isinstance(moment, datetime):
        moment = _local(moment, now).date() if now is not None else moment.date()
    today = _local(now, now).date() if now is not None else moment
    with_year = _needs_year(moment, today)
    if language == "zh":
        year = f"{moment.year}年" if with_year else ""
        return f"{year}{moment.month}月{moment.day}日{_ZH_WEEKDAYS[moment.weekday()]}"
    year = f", {moment.year}" if with_year else ""
    weekday, month = _EN_WEEKDAYS[moment.weekday()], _EN_MONTHS[moment.month - 1]
    return f"{weekday}, {month} {moment.day}{year}"


def speak_datetime(moment: datetime, language: str, now: datetime) -> str:
    """ "tomorrow at 7 AM", "Wednesday, March 4 at 3:30 PM" / 明天早上7点, 3月4日星期三下午3点."""
    _check_language(language)
    local, today = _local(moment, now), _local(now, now).date()
    if language == "zh":
        return _speak_day(local.date(), today, language) + _chinese_clock(local)
    day = local.date()
    if local.hour == 0 and local.minute == 0:
        day -= timedelta(days=1)  # midnight ends the previous day
    return f"{_speak_day(day, today, language)} at {_english_clock(local)}"


def speak_quantity(quantity: Quantity, language: str) -> str:
    """ "15%", "20 degrees Celsius", "-5 degrees" / 百分之15, 摄氏20度, 零下5度."""
    _check_language(language)
    number = speak_number(abs(quantity.value), language)
    negative = quantity.value < 0
    if quantity.unit == "%":
        sign = ("负" if language == "zh" else "-") if negative else ""
        return f"百分之{sign}{number}" if language == "zh" else f"{sign}{number}%"
    if language == "zh":
        scale = _ZH_SCALES.get(quantity.unit, "")
        return f"{scale}{'零下' if negative else ''}{number}度"
    scale = _EN_SCALES.get(quantity.unit, "")
    unit = "degree" if abs(quantity.value) == 1 else "degrees"
    return f"{'-' if negative else ''}{number} {unit}{scale}"
