"""A speaker's own settings (volume, mute, do-not-disturb) and the pure rules that change them.

The state lives in the skill's key-value store, one entry per device, so "turn it up" starts from
the level the speaker has now. Levels are percent (0-100); people also say levels on a 0-10 scale
("volume 5"), which ``requested_level`` reads as tens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

DEFAULT_LEVEL = 50
STEP = 10
"""One notch of "turn it up", in percent."""
MIN_AUDIBLE = 10
"""What "minimum volume" sets: the quietest level that is still heard (0 would be mute)."""
SCALE_TOP = 10
"""Plain numbers up to this are on the 0-10 scale ("volume 5" = 50 %); larger ones are percent."""
MORNING = time(7, 0)
"""When "goodnight" quiet hours end."""


@dataclass(frozen=True)
class DeviceState:
    level: int = DEFAULT_LEVEL
    muted: bool = False
    dnd: bool = False
    dnd_until: str | None = None
    """ISO-8601 instant when do-not-disturb ends by itself; None while it is on until turned off."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> DeviceState:
        """A state from what the store holds; anything unreadable gives the defaults."""
        if not isinstance(raw, dict):
            return cls()
        level = raw.get("level", DEFAULT_LEVEL)
        until = raw.get("dnd_until")
        return cls(
            level=clamp(int(level)) if isinstance(level, int | float) else DEFAULT_LEVEL,
            muted=bool(raw.get("muted", False)),
            dnd=bool(raw.get("dnd", False)),
            dnd_until=until if isinstance(until, str) else None,
        )

    def at(self, now: datetime) -> DeviceState:
        """This state at ``now``: do-not-disturb that has run out is off."""
        if self.dnd and self.dnd_until is not None:
            try:
                ends = datetime.fromisoformat(self.dnd_until)
            except ValueError:
                return replace(self, dnd=False, dnd_until=None)
            if ends.tzinfo is None or ends <= now:
                return replace(self, dnd=False, dnd_until=None)
        return self


def clamp(level: int) -> int:
    return max(0, min(100, level))


def requested_level(number: float | None, percent: float | None) -> int | None:
    """The level in percent that "volume 5" / "30 percent" asks for; None when out of range."""
    if percent is not None:
        value = percent
    elif number is not None:
        value = number * 10 if 0 <= number <= SCALE_TOP else number
    else:
        return None
    if not 0 <= value <= 100:
        return None
    return round(value)


def step_size(number: float | None, percent: float | None) -> int | None:
    """How far "turn it up by ..." moves, in percent: notches on the 0-10 scale, or percent.

    No amount is one step; a negative or absurd amount is None.
    """
    if percent is not None:
        value = percent
    elif number is not None:
        value = number * STEP if 0 < number <= SCALE_TOP else number
    else:
        return STEP
    if not 0 < value <= 100:
        return None
    return round(value)


def next_morning(now: datetime, tz: Any) -> datetime:
    """The next 7:00 in zone ``tz`` after ``now`` (today's when it is still before 7)."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date(), MORNING, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), MORNING, tzinfo=tz)
    return candidate
