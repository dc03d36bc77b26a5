"""The value types slots can have, as the NLU knows them, and one entry to parse any of them."""

from __future__ import annotations

from ting.errors import ConfigError
from ting.nlu.types import ParseContext
from ting.values.datetimes import parse_datetime
from ting.values.durations import parse_duration
from ting.values.numbers import parse_integer, parse_number
from ting.values.quantities import parse_percentage, parse_temperature
from ting.values.recurrence import parse_recurrence

VALUE_TYPES: frozenset[str] = frozenset(
    {"number", "integer", "duration", "datetime", "percentage", "temperature", "recurrence"}
)
"""Slot types whose text is parsed into a typed value (others are list or free-text slots)."""


def parse_value(value_type: str, text: str, ctx: ParseContext) -> object | None:
    """The typed value of ``text`` as a ``value_type``; None when the text is not one.

    int/float for "number", int for "integer", ``timedelta`` for "duration",
    ``DateTimeValue`` for "datetime", ``Quantity`` for "percentage" and "temperature",
    ``RecurrencePattern`` for "recurrence".
    Raises ConfigError for a type not in ``VALUE_TYPES``.
    """
    match value_type:
        case "number":
            return parse_number(text)
        case "integer":
            return parse_integer(text)
        case "duration":
            return parse_duration(text)
        case "datetime":
            return parse_datetime(text, ctx)
        case "percentage":
            return parse_percentage(text)
        case "temperature":
            return parse_temperature(text)
        case "recurrence":
            return parse_recurrence(text)
    raise ConfigError(f"unknown value type {value_type!r}; known: {', '.join(sorted(VALUE_TYPES))}")
