"""Typed value parsers and speakable formatting, English and Chinese alike.

Parsers take slot text in either language or a mixture ("5 分钟", 五分钟, "five minutes") and return
a typed value or None; they never raise on bad input. ``parse_value`` is the NLU's entry point,
``sample_phrases`` feeds its slot tagger, and the ``speak_*`` functions write values for replies.
"""

from ting.values.chinese import to_chinese_numeral
from ting.values.datetimes import parse_date, parse_datetime, parse_time
from ting.values.durations import parse_duration
from ting.values.english import to_english_words
from ting.values.lexicon import phrase_classes, word_classes
from ting.values.model import DateTimeValue, Grain, Quantity
from ting.values.numbers import find_numbers, parse_integer, parse_number
from ting.values.quantities import parse_percentage, parse_temperature
from ting.values.recurrence import RecurrencePattern, parse_recurrence
from ting.values.registry import VALUE_TYPES, parse_value
from ting.values.samples import sample_phrases
from ting.values.speak import (
    speak_date,
    speak_datetime,
    speak_duration,
    speak_full_date,
    speak_number,
    speak_quantity,
    speak_time,
    speak_weekday,
)

__all__ = [
    "VALUE_TYPES",
    "DateTimeValue",
    "Grain",
    "Quantity",
    "RecurrencePattern",
    "find_numbers",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_integer",
    "parse_number",
    "parse_percentage",
    "parse_recurrence",
    "parse_temperature",
    "parse_time",
    "parse_value",
    "phrase_classes",
    "sample_phrases",
    "speak_date",
    "speak_datetime",
    "speak_duration",
    "speak_full_date",
    "speak_number",
    "speak_quantity",
    "speak_time",
    "speak_weekday",
    "to_chinese_numeral",
    "to_english_words",
    "word_classes",
]
