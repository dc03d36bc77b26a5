"""Time as the scheduler sees it: an injectable clock, so tests and simulations can drive it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""

    async def sleep(self, seconds: float) -> None:
        """Return after ``seconds`` (at once when zero or negative)."""


class SystemClock:
    """Wall-clock time and ``asyncio.sleep``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
