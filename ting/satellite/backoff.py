"""Reconnect delays: exponential, capped, jittered.

Delay number n (from 0) is ``min(cap_s, initial_s × factor**n)`` scaled by a random factor in
``[1 - jitter, 1]``, so a household of speakers does not reconnect in lock-step after the hub
restarts, and no wait is ever longer than ``cap_s`` (the satellite is back within about that
long after the hub is).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class BackoffSettings:
    initial_s: float = 0.25
    """Seconds before the first retry (before jitter)."""
    factor: float = 2.0
    """Growth per failed attempt."""
    cap_s: float = 2.0
    """Seconds; the longest wait."""
    jitter: float = 0.5
    """Fraction (0..1) of each delay that is random: a delay d becomes uniform in
    [d × (1 - jitter), d]."""

    def __post_init__(self) -> None:
        if self.initial_s <= 0 or self.cap_s < self.initial_s or self.factor < 1:
            raise ValueError("backoff needs 0 < initial_s <= cap_s and factor >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("backoff jitter must be between 0 and 1")


class Backoff:
    def __init__(
        self, settings: BackoffSettings | None = None, *, rng: random.Random | None = None
    ) -> None:
        self.settings = settings or BackoffSettings()
        self._rng = rng or random.Random()
        self.attempt = 0

    def base_delay(self, attempt: int) -> float:
        """The delay of attempt ``attempt`` before jitter."""
        s = self.settings
        # Avoid float overflow for absurd attempt counts: the cap is reached long before.
        exponent = min(attempt, 64)
        return float(min(s.cap_s, s.initial_s * s.factor**exponent))

    def next_delay(self) -> float:
        """Seconds to wait before the next attempt; each call counts one failed attempt."""
        base = self.base_delay(self.attempt)
        self.attempt += 1
        low = base * (1.0 - self.settings.jitter)
        return self._rng.uniform(low, base)

    def reset(self) -> None:
        """A connection succeeded: the next failure starts from ``initial_s`` again."""
        self.attempt = 0
