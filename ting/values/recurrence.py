"""Spoken repetition without a time of day: "every weekday", "every other day", 每周一和周三.

``parse_recurrence`` returns a ``RecurrencePattern``; a skill adds the time of day (and, for
intervals, the first day) to make a ``ting.scheduler.recurrence.Recurrence``.

Chinese intervals follow the literal reading: 每隔一天 is every other day, 每隔N天 every N+1 days,
while 每两天 / 每N天 is every N days. A bare weekday (周一, "Monday") is a date, not a repetition:
it needs 每 / 每逢 / "every" / a plural ("Mondays") to repeat.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

from ting.values._text import normalize
from ting.values.english import parse_ordinal
from ting.values.numbers import parse_integer

Freq = Literal["daily", "weekly", "monthly", "yearly"]
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)


@dataclass(frozen=True)
class RecurrencePattern:
    """How often something repeats, without the time of day."""

    freq: Freq
    interval: int = 1
    """Every n-th day / week / month / year."""
    weekdays: tuple[int, ...] = ()
    """Weekly: the days, sorted, 0 = Monday; empty = the weekday of the first occurrence."""
    month_day: int | None = None
    """Monthly: the day of the month; None = the day of the first occurrence."""


# --- English -------------------------------------------------------------------------------

_EN_DAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_EN_DAY = r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|urday)?s?"
_EN_ORDINAL_INTERVALS = {"other": 2, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_EN_EVERY = r"(?:every|each|once every|once each)"
_EN_UNITS: dict[str, Freq] = {"day": "daily", "week": "weekly", "month": "monthly",
                              "year": "yearly"}  # fmt: skip
_EN_ADVERBS: dict[str, Freq] = {"daily": "daily", "weekly": "weekly", "monthly": "monthly",
                                "yearly": "yearly", "annually": "yearly"}  # fmt: skip


def _en_interval(word: str | None) -> int | None:
    if not word:
        return 1
    word = word.strip()
    if word in _EN_ORDINAL_INTERVALS:
        return _EN_ORDINAL_INTERVALS[word]
    value = parse_integer(word)
    return value if value is not None and 1 <= value <= 99 else None


def _en_days(text: str) -> tuple[int, ...] | None:
    """ "monday and wednesday", "mon, wed & fri", "weekdays", "saturdays and sundays"."""
    text = re.sub(r"\b(?:on|every|each|the)\b", " ", text)
    text = re.sub(r"\b(?:week|work|working|business) days?\b", "weekdays", text)
    words = [w for w in re.split(r"[\s,&/]+|\band\b|\bor\b", text) if w]
    days: set[int] = set()
    for word in words:
        if re.fullmatch(r"(?:weekdays?|workdays?)", word):
            days.update(WEEKDAYS)
        elif re.fullmatch(r"weekends?", word):
            days.update(WEEKEND)
        elif word.rstrip("s") in _EN_DAYS or word in _EN_DAYS:
            days.add(_EN_DAYS.get(word, _EN_DAYS.get(word.rstrip("s"), 0)))
        else:
            return None
    return tuple(sorted(days)) or None


def _parse_en(text: str) -> RecurrencePattern | None:
    text = re.sub(r"\b(?:repeating|repeat|recurring|going forward|only|of the week)\b", " ", text)
    text = re.sub(r"\s+", " ", text.replace("everyday", "every day").replace("week day", "weekday"))
    text = re.sub(r"^(?:on|for) ", "", text.strip())
    if text in _EN_ADVERBS:
        return RecurrencePattern(_EN_ADVERBS[text])
    if re.fullmatch(r"(?:every single day|all days|day after day|once a day)", text):
        return RecurrencePattern("daily")
    if re.fullmatch(r"(?:once a week)", text):
        return RecurrencePattern("weekly")
    if re.fullmatch(r"(?:once a year)", text):
        return RecurrencePattern("yearly")
    if re.fullmatch(
        r"(?:from )?mon(?:day)?s? (?:to|through|thru|till|until|-) fri(?:day)?s?", text
    ):
        return RecurrencePattern("weekly", weekdays=WEEKDAYS)
    if text in ("during the week", "in the week"):
        return RecurrencePattern("weekly", weekdays=WEEKDAYS)
    unit = re.fullmatch(
        rf"{_EN_EVERY} (other|second|third|fourth|fifth|\w+(?: \w+)?)? ?(day|week|month|year)s?"
        rf"(?: on (?:the )?(.+))?",
        text,
    )
    found = unit and _en_unit(unit.group(1), unit.group(2), unit.group(3))
    if found:
        return found
    adverb = re.fullmatch(r"(weekly|monthly|yearly|annually) on (?:the )?(.+)", text)
    if adverb:
        return _en_unit(None, {"weekly": "week", "monthly": "month"}.get(adverb[1], "year"),
                        adverb[2])  # fmt: skip
    of_month = re.fullmatch(rf"(?:on )?(?:the )?(.+?) (?:of|day of) {_EN_EVERY} month", text)
    if of_month:
        day = parse_ordinal(of_month.group(1).strip())
        return RecurrencePattern("monthly", month_day=day) if day and day <= 31 else None
    every_day = re.fullmatch(rf"(?:{_EN_EVERY} )?(other |second )?(.+)", text)
    if every_day and (text.startswith(("every", "each")) or re.search(r"s\b", text)):
        days = _en_days(every_day.group(2))
        interval = 2 if every_day.group(1) else 1
        if days is not None:
            return RecurrencePattern("weekly", interval=interval, weekdays=days)
    return None


def _en_unit(count: str | None, unit: str, detail: str | None) -> RecurrencePattern | None:
    interval = _en_interval(count)
    if interval is None:
        return None
    freq = _EN_UNITS[unit]
    if detail is None:
        return RecurrencePattern(freq, interval=interval)
    if freq == "weekly":
        days = _en_days(detail)
        return None if days is None else RecurrencePattern(freq, interval, weekdays=days)
    if freq == "monthly":
        day = parse_ordinal(re.sub(r"\b(?:day|of the month)\b", "", detail).strip())
        return RecurrencePattern(freq, interval, month_day=day) if day and day <= 31 else None
    return None


# --- Chinese -------------------------------------------------------------------------------

_ZH_NUM = r"[零一二两三四五六七八九十\d]+"
_ZH_DAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": -1}
_ZH_EVERY = r"(?:每个|每一个|每逢|每)"


def _zh_count(text: str | None, default: int = 1) -> int | None:
    if not text:
        return default
    value = parse_integer(text)
    return value if value is not None and 1 <= value <= 99 else None


def _zh_days(text: str) -> tuple[int, ...] | None:
    """ "周一和周三", "一三五", "周一到周五", "周末", "工作日"."""
    text = re.sub(r"(?:星期|礼拜)", "周", text)
    span = re.fullmatch(r"周?([一二三四五六日天])(?:到|至|-|~)周?([一二三四五六日天])", text)
    if span:
        first, last = _ZH_DAY_CHARS[span[1]], _ZH_DAY_CHARS[span[2]]
        return tuple(range(first, last + 1)) if first < last else None
    days: set[int] = set()
    for part in re.split(r"[和跟与及、,，/]|还有", text):
        part = part.removeprefix("每").removeprefix("个")
        if part in ("工作日", "周工作日"):
            days.update(WEEKDAYS)
            continue
        if not part.startswith("周") or len(part) < 2:
            return None
        for char in part[1:]:
            if char == "周":
                continue
            code = _ZH_DAY_CHARS.get(char)
            if code is None:
                return None
            days.update(WEEKEND if code == -1 else (code,))
    return tuple(sorted(days)) or None


def _parse_zh(text: str) -> RecurrencePattern | None:
    text = re.sub(r"[\s的都]|重复|(?:一次)$", "", text)
    text = re.sub(r"(?:星期|礼拜)", "周", text)
    if re.fullmatch(r"(?:每天|天天|每日|每一天|日日|每天每天)", text):
        return RecurrencePattern("daily")
    gap = re.fullmatch(rf"(?:每隔|隔)({_ZH_NUM})?个?(天|周|月|年)", text)
    if gap:
        count = _zh_count(gap[1])
        return None if count is None else _zh_unit(gap[2], count + 1)
    every = re.fullmatch(rf"每({_ZH_NUM})?个?(天|周|月|年)", text)
    if every:
        count = _zh_count(every[1])
        return None if count is None else _zh_unit(every[2], count)
    if re.fullmatch(rf"(?:{_ZH_EVERY}?(?:周)?工作日|(?:每周)?周?一(?:到|至)周?五)", text):
        return RecurrencePattern("weekly", weekdays=WEEKDAYS)
    if re.fullmatch(rf"{_ZH_EVERY}?周末|周末每周", text):
        return RecurrencePattern("weekly", weekdays=WEEKEND)
    month = re.fullmatch(rf"{_ZH_EVERY}?(?:隔({_ZH_NUM})?个)?月({_ZH_NUM})(?:号|日)", text)
    if month:
        day = _zh_count(month[2])
        count = 1 if month[1] is None and "隔" not in text else _zh_count(month[1])
        if day is None or day > 31 or count is None:
            return None
        return RecurrencePattern("monthly", count + (1 if "隔" in text else 0), month_day=day)
    weekly = re.fullmatch(rf"(?:{_ZH_EVERY}|隔|每隔一)(?:个)?(周.+)", text)
    if weekly:
        days = _zh_days(weekly[1])
        interval = 2 if text.startswith(("隔", "每隔")) else 1
        return None if days is None else RecurrencePattern("weekly", interval, weekdays=days)
    return None


def _zh_unit(unit: str, interval: int) -> RecurrencePattern:
    freq: Freq = {"天": "daily", "周": "weekly", "月": "monthly"}.get(unit, "yearly")  # type: ignore[assignment]
    return RecurrencePattern(freq, interval=interval)


def parse_recurrence(text: str) -> RecurrencePattern | None:
    """The repetition that ``text`` names, in English or Chinese; None when it names none."""
    folded = normalize(text)
    if folded is None:
        return None
    if re.search(r"[\u4e00-\u9fff]", folded):
        return _parse_zh(folded)
    return _parse_en(folded)


# --- samples for the slot tagger --------------------------------------------------------------

_EN_SAMPLE_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_FIXED = (
    "every day", "daily", "everyday", "each day", "every weekday", "on weekdays", "weekdays",
    "every workday", "monday to friday", "every weekend", "on weekends", "weekends",
    "every other day", "every two days", "every 3 days", "every week", "weekly", "every month",
    "monthly", "every year", "every other week", "once a week", "during the week",
)  # fmt: skip
_ZH_FIXED = (
    "每天", "天天", "每日", "每个工作日", "工作日", "每周工作日", "周一到周五", "每个周末", "周末",
    "每周末", "每隔一天", "隔天", "每两天", "每周", "每个星期", "隔周", "每个月", "每月", "每年",
    "每隔一周", "每三天",
)  # fmt: skip
_ZH_DAY_NAMES = "一二三四五六日"


def sample_en(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(_EN_FIXED)
    if roll < 0.75:
        days = sorted(rng.sample(range(7), rng.randint(1, 3)))
        plural = rng.random() < 0.3
        names = [_EN_SAMPLE_DAYS[d] + ("s" if plural else "") for d in days]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if plural:
            return rng.choice(("on ", "", "every ")) + joined
        return rng.choice(("every ", "every other ", "each ")) + joined
    day = rng.randint(1, 31)
    suffix = "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    ordinal = f"{day}{suffix}"
    return rng.choice(
        (f"every month on the {ordinal}", f"on the {ordinal} of every month",
         f"monthly on the {ordinal}", f"the {ordinal} of each month")
    )  # fmt: skip


def sample_zh(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(_ZH_FIXED)
    if roll < 0.75:
        days = sorted(rng.sample(range(7), rng.randint(1, 3)))
        word = rng.choice(("周", "星期", "礼拜"))
        parts = [f"{word}{_ZH_DAY_NAMES[d]}" for d in days]
        return rng.choice(("每", "每个", "每逢")) + rng.choice(("和", "、", "跟")).join(parts)
    day = rng.randint(1, 31)
    number = str(day) if rng.random() < 0.5 else _zh_numeral(day)
    return rng.choice(("每月", "每个月", "每个月的")) + number + rng.choice(("号", "日"))


def _zh_numeral(value: int) -> str:
    from ting.values.chinese import to_chinese_numeral

    return to_chinese_numeral(value)
