"""English date and time phrases: "tomorrow", "the day after tomorrow", "next Wednesday",
"March 3rd", "3/14", "7 am", "7:30 pm", "half past seven", "quarter to eight", "7 o'clock",
"at 7", "noon", "midnight", "tonight", "this afternoon", "in the morning".

Rule kept from the spec: "next Wednesday" is the Wednesday of next week (Monday-based), while a
bare or "this"/"coming" weekday is the nearest one from today on.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Literal

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
from ting.values.english import parse_ordinal
from ting.values.numbers import parse_normalized_number

_MONTHS = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"),
)  # fmt: skip
_WEEKDAYS = (
    ("monday", "mon"), ("tuesday", "tues", "tue"), ("wednesday", "wed"),
    ("thursday", "thurs", "thur", "thu"), ("friday", "fri"), ("saturday", "sat"),
    ("sunday", "sun"),
)  # fmt: skip
_PARTS: MappingProxyType[str, PartOfDay] = MappingProxyType(
    {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"}
)
_SHIFTS = MappingProxyType({"this": 0, "next": 1, "last": -1})
_NAMED_MINUTES = MappingProxyType({"half": 30, "quarter": 15, "a quarter": 15})
_HOLIDAYS = MappingProxyType(
    {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
     "xmas": (12, 25), "new years day": (1, 1), "new year day": (1, 1),
     "new years eve": (12, 31), "new year eve": (12, 31), "valentines day": (2, 14),
     "valentine day": (2, 14), "halloween": (10, 31)}
)  # fmt: skip
"""Fixed-date holidays, as they read once a possessive "'s" is dropped."""


MONTHS = _MONTHS
"""Month names, each with its abbreviations."""
WEEKDAYS = _WEEKDAYS
"""Weekday names, each with its abbreviations."""
PARTS_OF_DAY = tuple(_PARTS)
HOLIDAYS = tuple(_HOLIDAYS)
"""Fixed-date holiday phrases."""


def _index_of(word: str, table: tuple[tuple[str, ...], ...]) -> int:
    return next(i for i, names in enumerate(table) if word in names)


def _names(table: tuple[tuple[str, ...], ...]) -> str:
    return "|".join(sorted((name for names in table for name in names), key=len, reverse=True))


_B, _E = r"(?<![a-z0-9])", r"(?![a-z0-9])"
_MONTH = rf"(?P<month>{_names(_MONTHS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_names(_WEEKDAYS)})"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_HOUR_WORD = rf"(?:twenty[ -](?:one|two|three)|twenty|{_TEENS}|{_ONES})"
_MINUTE_WORD = rf"(?:(?:twenty|thirty|forty|fifty)(?:[ -]{_ONES})?|{_TEENS}|{_ONES})"
_HOUR = rf"(?P<hour>[0-9]{{1,2}}|{_HOUR_WORD})"
_MINUTE_WORDS = rf"(?P<minute>[0-9]{{2}}|oh[ -]{_ONES}|{_MINUTE_WORD})"
_COUNT = rf"(?P<count>[0-9]{{1,2}}|{_MINUTE_WORD}|a quarter|quarter|half)"
_MERIDIEM = r"(?P<meridiem>[ap])\.?\s?m\.?(?![a-z])"
_ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|thirtieth)"
)
_DAY_OF_MONTH = (
    rf"(?P<day>[0-9]{{1,2}}(?:st|nd|rd|th)?|(?:twenty|thirty)[ -]{_ORDINAL_WORD}|{_ORDINAL_WORD})"
)
_YEAR = r"(?:,?\s*(?P<year>[0-9]{4}))?"


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    value = parse_normalized_number(text.replace("oh ", "").replace("oh-", ""))
    return value if isinstance(value, int) else None


def _meridiem(match: re.Match[str]) -> Literal["am", "pm"] | None:
    letter = match.groupdict().get("meridiem")
    if letter is None:
        return None
    return "am" if letter == "a" else "pm"


def _relative_day(days: int) -> Recognizer:
    words = {2: r"(?:the )?day after tomorrow", -2: r"(?:the )?day before yesterday",
             1: r"tomorrow|tmrw|tmr", 0: r"today", -1: r"yesterday"}  # fmt: skip
    return re.compile(rf"{_B}(?:{words[days]}){_E}"), lambda _: Fragment(day=RelativeDay(days))


def _day_and_part(match: re.Match[str]) -> Fragment:
    word = match["word"]
    if word == "tonight":
        return Fragment(day=RelativeDay(0), part="night")
    if word == "last night":
        return Fragment(day=RelativeDay(-1), part="night")
    return Fragment(day=RelativeDay(0), part=_PARTS[word.removeprefix("this ")])


def _weekday(match: re.Match[str]) -> Fragment:
    shift = match["shift"]
    weeks = _SHIFTS.get(shift) if shift in ("next", "last") else None
    return Fragment(day=WeekdayRef(_index_of(match["weekday"], _WEEKDAYS), weeks))


def _period(match: re.Match[str]) -> Fragment:
    grain: Literal["week", "month"] = "week" if match["period"] == "week" else "month"
    return Fragment(day=PeriodRef(grain, _SHIFTS[match["shift"]]))


def _named_date(match: re.Match[str]) -> Fragment | None:
    day = parse_ordinal(match["day"])
    year = int(match["year"]) if match["year"] else None
    return Fragment(day=CalendarDate(_index_of(match["month"], _MONTHS) + 1, day, year))


def _numeric_date(match: re.Match[str]) -> Fragment | None:
    first, second = int(match["first"]), int(match["second"])
    month, day = (second, first) if first > 12 >= second else (first, second)
    year = int(match["year"]) if match["year"] else None
    if year is not None and year < 100:
        year += 2000
    return Fragment(day=CalendarDate(month, day, year))


def _iso_date(match: re.Match[str]) -> Fragment | None:
    return Fragment(day=CalendarDate(int(match["month"]), int(match["day"]), int(match["year"])))


def _ordinal_only(match: re.Match[str]) -> Fragment | None:
    return Fragment(day=CalendarDate(None, parse_ordinal(match["day"])))


def _relative_to_hour(match: re.Match[str]) -> Fragment | None:
    count = match["count"]
    minutes = _NAMED_MINUTES.get(count) or _number(count)
    hour = _number(match["hour"])
    if match["direction"] in ("to", "before", "of"):
        return minutes_before(hour, minutes)
    if hour is None or minutes is None or not 1 <= minutes <= 59:
        return None
    return clock(hour, minutes, meridiem=_meridiem(match), fixed=hour > 12)


def _colon_time(match: re.Match[str]) -> Fragment | None:
    hour_text, seconds = match["hour"], match["second"]
    hour = int(hour_text)
    fixed = hour > 12 or hour == 0 or hour_text.startswith("0")
    second = int(seconds) if seconds else None
    return clock(hour, int(match["minute"]), second, meridiem=_meridiem(match), fixed=fixed)


def _spoken_time(match: re.Match[str]) -> Fragment | None:
    hour, minute_text = _number(match["hour"]), match.groupdict().get("minute")
    minute = _number(minute_text) if minute_text else None
    if minute_text and minute is None:
        return None
    return clock(hour, minute, meridiem=_meridiem(match), fixed=hour is not None and hour > 12)


def _special_time(match: re.Match[str]) -> Fragment | None:
    if match["word"] == "midnight":
        return Fragment(clock=Clock(0, midnight=True))
    return clock(12, meridiem="pm")


def _holiday(match: re.Match[str]) -> Fragment:
    month, day = _HOLIDAYS[match["holiday"]]
    return Fragment(day=CalendarDate(month, day))


def _year(match: re.Match[str]) -> Fragment:
    return Fragment(year_shift=_SHIFTS[match["shift"]])


def _part(match: re.Match[str]) -> Fragment:
    return Fragment(part=_PARTS[match["part"]])


EN_RECOGNIZERS: tuple[Recognizer, ...] = (
    _relative_day(2),
    _relative_day(-2),
    (re.compile(rf"{_B}(?P<word>tonight|last night|this (?:morning|afternoon|evening)){_E}"),
     _day_and_part),
    _relative_day(1),
    _relative_day(0),
    _relative_day(-1),
    (re.compile(rf"{_B}(?:(?P<shift>this|next|last|coming|on) )?{_WEEKDAY}{_E}"), _weekday),
    (re.compile(rf"{_B}(?P<shift>this|next|last) (?P<period>week|month){_E}"), _period),
    (re.compile(rf"{_B}(?P<shift>this|next|last) year{_E}"), _year),
    (re.compile(rf"{_B}(?:on )?(?P<holiday>{'|'.join(sorted(_HOLIDAYS, key=len, reverse=True))})"
                rf"{_E}"), _holiday),
    (re.compile(rf"{_B}(?P<year>[0-9]{{4}})-(?P<month>[0-9]{{1,2}})-(?P<day>[0-9]{{1,2}}){_E}"),
     _iso_date),
    (re.compile(rf"{_B}{_MONTH} (?:the )?{_DAY_OF_MONTH}{_YEAR}{_E}"), _named_date),
    (re.compile(rf"{_B}(?:the )?{_DAY_OF_MONTH} (?:of )?{_MONTH}{_YEAR}{_E}"), _named_date),
    (re.compile(
        r"(?<![0-9/])(?P<first>[0-9]{1,2})/(?P<second>[0-9]{1,2})"
        r"(?:/(?P<year>[0-9]{4}|[0-9]{2}))?(?![0-9/])"
    ), _numeric_date),
    (re.compile(
        rf"{_B}{_COUNT}(?: minutes?)? (?P<direction>past|after|to|before|of) {_HOUR}"
        rf"(?:\s?{_MERIDIEM})?{_E}"
    ), _relative_to_hour),
    (re.compile(
        rf"(?<![0-9:])(?P<hour>[0-9]{{1,2}}):(?P<minute>[0-9]{{2}})(?::(?P<second>[0-9]{{2}}))?"
        rf"(?:\s?{_MERIDIEM})?(?![0-9:])"
    ), _colon_time),
    (re.compile(rf"{_B}{_HOUR}(?: {_MINUTE_WORDS})?\s?{_MERIDIEM}"), _spoken_time),
    (re.compile(rf"{_B}{_HOUR} ?o'?clock(?:\s?{_MERIDIEM})?{_E}"), _spoken_time),
    (re.compile(rf"{_B}(?:at )?(?P<word>noon|midday|midnight){_E}"), _special_time),
    (re.compile(rf"{_B}at {_HOUR}(?: {_MINUTE_WORDS})?{_E}"), _spoken_time),
    (re.compile(rf"{_B}(?:on )?the {_DAY_OF_MONTH}{_E}"), _ordinal_only),
    (re.compile(rf"{_B}(?:in the |during the |at |this )?(?P<part>morning|afternoon|evening|night)"
                rf"{_E}"), _part),
)  # fmt: skip
"""Most specific first: each recognizer's matches are cut out before the next one runs."""
