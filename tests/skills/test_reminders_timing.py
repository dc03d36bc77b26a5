"""Reminder timing as properties over time zones and DST changes: an offset is exact on UTC,
a clock time is the next local occurrence of that wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ting.nlu.types import ParseContext
from ting.scheduler.recurrence import next_occurrence
from ting.skills.builtin.reminders import timing
from ting.values import parse_datetime
from ting.values.recurrence import parse_recurrence

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Santiago",
]
# Around the DST changes of 2026 (March, April, October, November) and ordinary days.
NOWS = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2026, 11, 30), timezones=st.just(UTC)
)


def _ctx(now: datetime, zone: str) -> ParseContext:
    return ParseContext(now=now, timezone=ZoneInfo(zone))


@settings(max_examples=300, deadline=None)
@given(now=NOWS, zone=st.sampled_from(ZONES), minutes=st.integers(1, 3 * 24 * 60))
def test_in_n_minutes_is_exact_on_utc(now: datetime, zone: str, minutes: int) -> None:
    ctx = _ctx(now, zone)
    for text in (f"in {minutes} minutes", f"{minutes}分钟后"):
        value = parse_datetime(text, ctx)
        plan = timing.one_off(timing.said(value, text), ctx)
        assert plan.problem is None, text
        assert plan.due == now + timedelta(minutes=minutes)
        assert timing.offset_of(timing.said(value, text)) == timedelta(minutes=minutes)


@settings(max_examples=300, deadline=None)
@given(now=NOWS, zone=st.sampled_from(ZONES), hours=st.integers(1, 48))
def test_in_n_hours_is_exact_on_utc(now: datetime, zone: str, hours: int) -> None:
    ctx = _ctx(now, zone)
    text = f"in {hours} hours"
    plan = timing.one_off(timing.said(parse_datetime(text, ctx), text), ctx)
    assert plan.due == now + timedelta(hours=hours)


@settings(max_examples=300, deadline=None)
@given(now=NOWS, zone=st.sampled_from(ZONES), hour=st.integers(0, 23), minute=st.integers(1, 59))
def test_at_hh_mm_is_the_next_local_occurrence(
    now: datetime, zone: str, hour: int, minute: int
) -> None:
    ctx = _ctx(now, zone)
    text = f"at {hour % 12 or 12}:{minute:02d} {'am' if hour < 12 else 'pm'}"
    plan = timing.one_off(timing.said(parse_datetime(text, ctx), text), ctx)
    assert plan.problem is None and plan.due is not None
    assert now < plan.due <= now + timedelta(hours=26)
    local = plan.due.astimezone(ZoneInfo(zone))
    wall = local.replace(tzinfo=None)
    if (local.hour, local.minute) != (hour, minute):
        # Only a wall time inside a spring-forward gap may move (forward, by the gap).
        asked = wall.replace(hour=hour, minute=minute)
        assert asked < wall <= asked + timedelta(hours=1)
    # No earlier instant after now shows that wall-clock time.
    earlier = local - timedelta(days=1)
    assert earlier.astimezone(UTC) <= now or (earlier.hour, earlier.minute) != (hour, minute)


@settings(max_examples=200, deadline=None)
@given(now=NOWS, zone=st.sampled_from(ZONES), hour=st.integers(0, 23))
def test_every_day_rings_daily_at_the_same_wall_time(now: datetime, zone: str, hour: int) -> None:
    ctx = _ctx(now, zone)
    pattern = parse_recurrence("every day")
    assert pattern is not None
    text = f"at {hour}:30"
    plan = timing.recurring(pattern, None, timing.said(parse_datetime(text, ctx), text), ctx)
    assert plan.rule is not None and plan.due is not None and plan.due > now
    following = next_occurrence(plan.rule, plan.due, ZoneInfo(zone))
    first, second = (d.astimezone(ZoneInfo(zone)) for d in (plan.due, following))
    assert (second.date() - first.date()).days == 1
    assert first.minute == second.minute == 30
