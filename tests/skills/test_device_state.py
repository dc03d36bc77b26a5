"""The device skill's pure rules: volume levels and steps, stored state, quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ting.skills.builtin.device.state import (
    DEFAULT_LEVEL,
    DeviceState,
    clamp,
    next_morning,
    requested_level,
    step_size,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("number", "percent", "level"),
    [
        (5, None, 50),
        (0, None, 0),
        (10, None, 100),
        (7.5, None, 75),
        (25, None, 25),
        (100, None, 100),
        (None, 30.0, 30),
        (None, 5.0, 5),
        (None, 100.0, 100),
    ],
)
def test_requested_level(number: float | None, percent: float | None, level: int) -> None:
    assert requested_level(number, percent) == level


@pytest.mark.parametrize(
    ("number", "percent"), [(250, None), (-1, None), (None, 150.0), (None, None)]
)
def test_requested_level_out_of_range(number: float | None, percent: float | None) -> None:
    assert requested_level(number, percent) is None


@pytest.mark.parametrize(
    ("number", "percent", "step"),
    [(None, None, 10), (2, None, 20), (10, None, 100), (20, None, 20), (None, 5.0, 5)],
)
def test_step_size(number: float | None, percent: float | None, step: int) -> None:
    assert step_size(number, percent) == step


@pytest.mark.parametrize(("number", "percent"), [(0, None), (-3, None), (500, None), (None, 0.0)])
def test_step_size_refuses_nonsense(number: float | None, percent: float | None) -> None:
    assert step_size(number, percent) is None


def test_clamp() -> None:
    assert (clamp(-10), clamp(55), clamp(130)) == (0, 55, 100)


def test_state_round_trip_and_bad_data() -> None:
    state = DeviceState(level=70, muted=True, dnd=True, dnd_until="2026-11-25T07:00:00+08:00")
    assert DeviceState.from_dict(state.to_dict()) == state
    assert DeviceState.from_dict(None) == DeviceState()
    assert DeviceState.from_dict({"level": "loud", "muted": 1}).level == DEFAULT_LEVEL
    assert DeviceState.from_dict({"level": 400}).level == 100


def test_dnd_runs_out() -> None:
    now = datetime(2026, 11, 24, 2, 15, tzinfo=UTC)
    until = now + timedelta(hours=1)
    state = DeviceState(dnd=True, dnd_until=until.isoformat())
    assert state.at(now).dnd
    assert not state.at(until).dnd
    assert state.at(until).dnd_until is None
    assert DeviceState(dnd=True).at(now).dnd  # no end: on until turned off
    assert not DeviceState(dnd=True, dnd_until="soon").at(now).dnd


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 24, 22, 30), datetime(2026, 11, 25, 7, 0)),
        (datetime(2026, 11, 24, 10, 15), datetime(2026, 11, 25, 7, 0)),
        (datetime(2026, 11, 24, 1, 30), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 24, 7, 0), datetime(2026, 11, 25, 7, 0)),
        (datetime(2026, 12, 31, 23, 0), datetime(2027, 1, 1, 7, 0)),
    ],
)
def test_next_morning(local: datetime, expected: datetime) -> None:
    now = local.replace(tzinfo=SHANGHAI).astimezone(UTC)
    assert next_morning(now, SHANGHAI) == expected.replace(tzinfo=SHANGHAI)
