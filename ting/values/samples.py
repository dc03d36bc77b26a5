"""Natural surface phrases of each value type, for training the NLU's statistical slot tagger.

Each generator mixes words and digits, small and large values, and the idioms people use
("an hour and a half", 一个半小时, "quarter to eight", 三点一刻). Every phrase parses back with
``parse_value`` (the tests check that over many seeds).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from types import MappingProxyType

from ting.errors import ConfigError, LanguageError
from ting.nlu.types import SUPPORTED_LANGUAGES
from ting.values.chinese import to_chinese_numeral
from ting.values.english import to_english_words
from ting.values.recurrence import sample_en as _en_recurrence
from ting.values.recurrence import sample_zh as _zh_recurrence

Generator = Callable[[random.Random], str]

_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
_ORDINAL_SUFFIX = MappingProxyType({1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd",
                                    31: "st"})  # fmt: skip
_ZH_WEEKDAY_CHARS = "一二三四五六日天"
_ZH_PART_HOURS = (
    ("", (1, 12)), ("早上", (5, 9)), ("上午", (8, 11)), ("中午", (11, 12)), ("下午", (1, 6)),
    ("晚上", (6, 11)), ("凌晨", (1, 5)), ("明早", (5, 9)), ("今晚", (6, 11)),
)  # fmt: skip
_ZH_DIGITS = "零一二三四五六七八九"


def _integer(rng: random.Random) -> int:
    """Mostly small numbers, sometimes large ones."""
    ceiling = rng.choice((10, 20, 60, 100, 1000, 100_000))
    return rng.randint(0, ceiling)


def _en_integer_text(value: int, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0 or value > 10_000:
        return f"{value:,}" if value >= 1000 and rng.random() < 0.5 else str(value)
    return to_english_words(value).replace("-", rng.choice(("-", " ")))


def _zh_integer_text(value: int, rng: random.Random) -> str:
    if rng.random() < 0.35:
        return str(value)
    written = to_chinese_numeral(value)
    if value == 2 and rng.random() < 0.5:
        return rng.choice(("两", "俩"))
    return (
        written.replace("二千", "两千").replace("二百", "两百") if rng.random() < 0.5 else written
    )


def _en_number(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(
            (
                "a dozen",
                "two dozen",
                "half",
                "a hundred and eight",
                "two and a half",
                "one point five",
                "1.5 million",
                "a thousand",
                "zero point two five",
            )
        )
    if roll < 0.3:
        return f"{rng.randint(0, 999)}.{rng.randint(1, 99)}"
    return _en_integer_text(_integer(rng), rng)


def _zh_number(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(
            ("半", "一万二", "两千五", "3千", "2万", "仨", "一百零八", "3.5万", "零点五", "十")
        )
    if roll < 0.3:
        return f"{to_chinese_numeral(rng.randint(0, 99))}点{_ZH_DIGITS[rng.randint(1, 9)]}"
    return _zh_integer_text(_integer(rng), rng)


def _en_integer(rng: random.Random) -> str:
    return _en_integer_text(_integer(rng), rng)


def _zh_integer(rng: random.Random) -> str:
    return _zh_integer_text(_integer(rng), rng)


def _plural(count: int, unit: str) -> str:
    return unit if count == 1 else unit + "s"


def _en_duration(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(
            (
                "an hour and a half",
                "half an hour",
                "a quarter of an hour",
                "a minute",
                "1h30m",
                "two and a half hours",
                "a couple of minutes",
                "an hour",
                "1.5 hours",
                "a day",
                "a minute and a half",
                "three quarters of an hour",
            )
        )
    unit = rng.choice(("second", "minute", "minute", "hour", "day"))
    count = rng.randint(1, rng.choice((10, 59, 120)))
    text = f"{_en_integer_text(count, rng)} {_plural(count, unit)}"
    if unit == "hour" and rng.random() < 0.4:
        minutes = rng.randint(1, 59)
        joiner = rng.choice((" ", " and "))
        text += f"{joiner}{_en_integer_text(minutes, rng)} {_plural(minutes, 'minute')}"
    return text


def _zh_duration(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(
            (
                "一个半小时",
                "半小时",
                "半个小时",
                "一刻钟",
                "三分半",
                "1小时20分",
                "两个小时三十分钟",
                "90秒",
                "一小时二十",
                "三刻钟",
                "两天",
                "一个钟头",
            )
        )
    unit = rng.choice(("秒", "秒钟", "分钟", "分钟", "个小时", "小时", "天"))
    count = rng.randint(1, rng.choice((10, 59, 120)))
    text = f"{_zh_integer_text(count, rng)}{unit}"
    if unit.endswith("小时") and rng.random() < 0.4:
        text += f"{_zh_integer_text(rng.randint(1, 59), rng)}分钟"
    return text


def _en_day(rng: random.Random) -> str:
    roll = rng.randrange(6)
    if roll == 0:
        return rng.choice(("today", "tomorrow", "the day after tomorrow", "yesterday"))
    if roll == 1:
        prefix = rng.choice(("", "on ", "next ", "this ", "last "))
        return prefix + rng.choice(_EN_WEEKDAYS)
    if roll == 2:
        day = rng.randint(1, 28)
        return f"{rng.choice(_EN_MONTHS)} {day}{_ORDINAL_SUFFIX.get(day, 'th')}"
    if roll == 3:
        return f"{rng.randint(1, 12)}/{rng.randint(1, 28)}"
    if roll == 4:
        return f"the {rng.randint(1, 28)}{rng.choice(('th', ''))} of {rng.choice(_EN_MONTHS)}"
    return rng.choice(
        (
            "next week",
            "next month",
            "this week",
            "christmas",
            "new year's day",
            "friday next week",
            "christmas this year",
        )
    )


def _en_clock(rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    options = (
        f"at {hour}",
        f"{hour} {rng.choice(('am', 'pm', 'a.m.', 'p.m.'))}",
        f"{hour}:{minute:02d}",
        f"{hour}:{minute:02d} {rng.choice(('am', 'pm'))}",
        f"half past {to_english_words(hour)}",
        f"quarter to {to_english_words(hour)}",
        f"{to_english_words(hour)} o'clock",
        f"at {to_english_words(hour)}",
        rng.choice(("at noon", "midnight", "at midnight", "noon")),
        f"{rng.randint(13, 23)}:{minute:02d}",
    )
    return rng.choice(options)


def _en_datetime(rng: random.Random) -> str:
    roll = rng.randrange(5)
    if roll == 0:
        return rng.choice(("in {}", "{} from now", "{} later")).format(_en_duration(rng))
    if roll == 1:
        return _en_clock(rng)
    if roll == 2:
        return _en_day(rng)
    if roll == 3:
        part = rng.choice(("morning", "afternoon", "evening", "night"))
        return rng.choice(
            (
                f"tomorrow {part}",
                f"this {part}" if part != "night" else "tonight",
                f"{rng.choice(_EN_WEEKDAYS)} {part}",
                f"in the {part}",
            )
        )
    clock = _en_clock(rng)
    day = rng.choice(("tonight", "tomorrow", _en_day(rng)))
    if not clock.startswith("at "):
        clock = "at " + clock
    return f"{day} {clock}"


def _zh_day(rng: random.Random) -> str:
    roll = rng.randrange(4)
    if roll == 0:
        return rng.choice(("今天", "明天", "后天", "大后天", "昨天", "前天"))
    if roll == 1:
        prefix = rng.choice(("", "下", "下个", "这", "本", "上"))
        return prefix + rng.choice(("周", "星期", "礼拜")) + rng.choice(_ZH_WEEKDAY_CHARS[:-1])
    if roll == 2:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.5:
            return f"{month}月{day}{rng.choice('号日')}"
        return f"{to_chinese_numeral(month)}月{to_chinese_numeral(day)}{rng.choice('号日')}"
    return rng.choice(
        ("下周", "下个月", "星期天", "周日", "元旦", "今年圣诞节", "下周的周五", "国庆节")
    )


def _zh_clock(rng: random.Random, hours: tuple[int, int] = (1, 12)) -> str:
    hour = rng.randint(*hours)
    hour_text = rng.choice((str(hour), "两" if hour == 2 else to_chinese_numeral(hour)))
    minute = rng.randint(10, 59)
    tail = rng.choice(
        ("", "半", "一刻", "三刻", f"{minute}分", f"{to_chinese_numeral(minute)}", "零五", "整")
    )
    return f"{hour_text}{rng.choice(('点', '点', '点钟' if not tail else '点'))}{tail}"


def _zh_datetime(rng: random.Random) -> str:
    roll = rng.randrange(5)
    if roll == 0:
        return _zh_duration(rng) + rng.choice(("后", "以后", "之后"))
    if roll == 1:
        return _zh_day(rng)
    if roll == 2:
        return rng.choice(("明早", "今晚", "明晚", "中午", "下午", "晚上", "凌晨", "明天早上"))
    day = rng.choice(("", "明天", "今天", "后天", _zh_day(rng))) if roll == 4 else ""
    if rng.random() < 0.1:
        return f"{day}{rng.randint(13, 23)}点"
    part, hours = rng.choice(_ZH_PART_HOURS)
    if part in ("明早", "今晚"):
        day = ""  # these already say the day
    return f"{day}{part}{_zh_clock(rng, hours)}"


def _percent_number(rng: random.Random) -> int | float:
    value = rng.randint(0, 100)
    return value + rng.randint(1, 9) / 10 if rng.random() < 0.2 else value


def _en_percentage(rng: random.Random) -> str:
    value = _percent_number(rng)
    number = _en_integer_text(value, rng) if isinstance(value, int) else str(value)
    return rng.choice((f"{value}%", f"{number} percent", f"{number} per cent"))


def _zh_percentage(rng: random.Random) -> str:
    value = _percent_number(rng)
    number = _zh_integer_text(value, rng) if isinstance(value, int) else str(value)
    return rng.choice((f"百分之{number}", f"{value}%", "百分之百"))


def _en_temperature(rng: random.Random) -> str:
    value = rng.randint(-20, 100)
    number = _en_integer_text(value, rng) if value >= 0 else f"minus {abs(value)}"
    return rng.choice(
        (
            f"{number} degrees",
            f"{number} degrees celsius",
            f"{value}°C",
            f"{value}°F",
            f"{number} fahrenheit",
            f"{number} degrees fahrenheit",
        )
    )


def _zh_temperature(rng: random.Random) -> str:
    value = rng.randint(0, 40)
    number = _zh_integer_text(value, rng)
    return rng.choice(
        (
            f"{number}度",
            f"零下{number}度",
            f"摄氏{number}度",
            f"{number}摄氏度",
            f"华氏{number}度",
            f"{value}°C",
            f"{number}度半",
        )
    )


_GENERATORS: MappingProxyType[tuple[str, str], Generator] = MappingProxyType(
    {
        ("number", "en"): _en_number, ("number", "zh"): _zh_number,
        ("integer", "en"): _en_integer, ("integer", "zh"): _zh_integer,
        ("duration", "en"): _en_duration, ("duration", "zh"): _zh_duration,
        ("datetime", "en"): _en_datetime, ("datetime", "zh"): _zh_datetime,
        ("percentage", "en"): _en_percentage, ("percentage", "zh"): _zh_percentage,
        ("temperature", "en"): _en_temperature, ("temperature", "zh"): _zh_temperature,
        ("recurrence", "en"): _en_recurrence, ("recurrence", "zh"): _zh_recurrence,
    }
)  # fmt: skip


def sample_phrases(value_type: str, language: str, rng: random.Random, count: int) -> list[str]:
    """``count`` phrases of ``value_type`` in ``language`` ("en" or "zh"), drawn with ``rng``.

    Raises ConfigError for an unknown value type or a negative count, LanguageError for a
    language Ting does not speak.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise LanguageError(f"no sample phrases for language {language!r}", language)
    generator = _GENERATORS.get((value_type, language))
    if generator is None:
        raise ConfigError(f"unknown value type {value_type!r}")
    if count < 0:
        raise ConfigError(f"cannot sample {count} phrases")
    return [generator(rng) for _ in range(count)]
