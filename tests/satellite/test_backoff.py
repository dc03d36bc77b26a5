"""Reconnect backoff: grows, is capped, and its jitter stays inside its bounds."""

from __future__ import annotations

import random

import pytest

from ting.satellite.backoff import Backoff, BackoffSettings


def test_grows_then_caps() -> None:
    backoff = Backoff(BackoffSettings(initial_s=0.25, cap_s=2.0, jitter=0.0))
    assert [backoff.next_delay() for _ in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    backoff.reset()
    assert backoff.next_delay() == 0.25


def test_jitter_bounds_and_cap_hold_for_many_draws() -> None:
    settings = BackoffSettings(initial_s=0.25, cap_s=2.0, jitter=0.5)
    backoff = Backoff(settings, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(500)]
    for attempt, delay in enumerate(delays):
        base = backoff.base_delay(attempt)
        assert base * 0.5 <= delay <= base
        assert delay <= settings.cap_s
    tail = delays[10:]
    assert min(tail) < 1.2 and max(tail) > 1.8  # really random, over the whole band
    assert len(set(tail)) > 400


def test_no_overflow_after_very_many_attempts() -> None:
    backoff = Backoff(BackoffSettings(jitter=0.0))
    backoff.attempt = 10_000
    assert backoff.next_delay() == 2.0


@pytest.mark.parametrize(
    "bad",
    [
        {"initial_s": 0.0},
        {"initial_s": 3.0, "cap_s": 2.0},
        {"jitter": 1.5},
        {"factor": 0.5},
    ],
)
def test_bad_settings(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff"):
        BackoffSettings(**bad)
