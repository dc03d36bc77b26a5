"""The typed values parsers return (besides int, float and timedelta)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Grain = Literal["second", "minute", "hour", "part_of_day", "day", "week", "month"]
TemperatureUnit = Literal["C", "F", "deg"]


@dataclass(frozen=True)
class DateTimeValue:
    """A point in time the user named, resolved against ``ParseContext.now``."""

    when: datetime
    """Timezone-aware, in the context's time zone; the start of the expressed period."""
    has_date: bool
    """The user said a date or day ("tomorrow", 后天, "next Wednesday", "in 20 minutes")."""
    has_time: bool
    """The user said a clock time or a part of the day ("at 7", "afternoon", "in 20 minutes")."""
    grain: Grain
    """How precisely the user spoke: "7:30" is a minute, "at 7" an hour, "tomorrow" a day."""
    relative: bool
    """Resolved relative to now ("in 20 minutes", "tomorrow", "next Friday")."""


@dataclass(frozen=True)
class Quantity:
    """A number with a unit: ``Quantity(15.0, "%")``, ``Quantity(-5.0, "C")``."""

    value: float
    unit: str
    """"%" for percentages; "C", "F" or "deg" (scale not said) for temperatures."""
