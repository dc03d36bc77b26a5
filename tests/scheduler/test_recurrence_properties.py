"""Properties of ``next_occurrence`` over time zones, DST transitions and month ends."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ting.scheduler.recurrence import Recurrence, next_occurrence

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Shanghai", "UTC",
         "Australia/Lord_Howe")  # fmt: skip
EPOCH = date(1970, 1, 5)


@cache
def transitions(zone_name: str) -> tuple[datetime, ...]:
    """Local midnights of the days whose UTC offset changes, 2024-2028."""
    zone = ZoneInfo(zone_name)
    found = []
    day = date(2024, 1, 1)
    while day < date(2029, 1, 1):
        before = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).utcoffset()
        if before != after:
            found.append(datetime.combine(day, time(0), tzinfo=zone))
        day += timedelta(days=1)
    return tuple(found) or (datetime(2026, 3, 1, tzinfo=zone),)


@st.composite
def instants(draw: st.DrawFn, zone_name: str) -> datetime:
    """An aware instant: anywhere in 2024-2028, near a DST change, or near a month end."""
    zone = ZoneInfo(zone_name)
    kind = draw(st.sampled_from(("any", "dst", "month_end")))
    if kind == "dst":
        base = draw(st.sampled_from(transitions(zone_name)))
    elif kind == "month_end":
        year, month = draw(st.integers(2024, 2028)), draw(st.integers(1, 12))
        last = calendar.monthrange(year, month)[1]
        base = datetime(year, month, last, tzinfo=zone)
    else:
        base = datetime(2024, 1, 1, tzinfo=zone) + timedelta(days=draw(st.integers(0, 1800)))
    offset = timedelta(
        minutes=draw(st.integers(-48 * 60, 48 * 60)), microseconds=draw(st.integers(0, 999_999))
    )
    return (base.astimezone(UTC) + offset).astimezone(UTC)


@st.composite
def rules(draw: st.DrawFn) -> Recurrence:
    freq = draw(st.sampled_from(("daily", "weekly", "monthly", "yearly")))
    hour = draw(st.one_of(st.sampled_from((0, 1, 2, 3, 23)), st.integers(0, 23)))
    minute = draw(st.sampled_from((0, 1, 30, 59)))
    interval = draw(st.sampled_from((1, 1, 2, 3)))
    start = draw(st.none() | st.dates(date(2023, 6, 1), date(2028, 6, 1)))
    weekdays = (
        frozenset(draw(st.sets(st.integers(0, 6), min_size=1))) if freq == "weekly" else frozenset()
    )
    month_day = (
        draw(st.sampled_from((1, 15, 28, 29, 30, 31))) if freq in ("monthly", "yearly") else None
    )
    return Recurrence(
        freq=freq,
        hour=hour,
        minute=minute,
        interval=interval,
        weekdays=frozenset(weekdays),
        month_day=month_day,
        month=draw(st.integers(1, 12)) if freq == "yearly" else None,
        start=start,
    )


def rings_on(rule: Recurrence, day: date) -> bool:
    """An independent, slow statement of the rule's days."""
    if rule.start is not None and day < rule.start:
        return False
    anchor = rule.start or EPOCH
    last = calendar.monthrange(day.year, day.month)[1]
    if rule.freq == "daily":
        return (day - anchor).days % rule.interval == 0
    if rule.freq == "weekly":
        week = (day - timedelta(days=day.weekday())) - (anchor - timedelta(days=anchor.weekday()))
        return day.weekday() in rule.weekdays and (week.days // 7) % rule.interval == 0
    assert rule.month_day is not None
    if day.day != min(rule.month_day, last):
        return False
    if rule.freq == "monthly":
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        return months % rule.interval == 0
    return day.month == rule.month and (day.year - anchor.year) % rule.interval == 0


def ring_instant(rule: Recurrence, day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(rule.hour, rule.minute), tzinfo=zone).astimezone(UTC)


def exists(day: date, at: time, zone: ZoneInfo) -> bool:
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None)


cases = st.sampled_from(ZONES).flatmap(
    lambda name: st.tuples(st.just(name), rules(), instants(name))
)


@settings(max_examples=400, deadline=None)
@given(case=cases)
def test_next_occurrence_is_the_first_valid_ring_after(
    case: tuple[str, Recurrence, datetime],
) -> None:
    zone_name, rule, after = case
    zone = ZoneInfo(zone_name)
    result = next_occurrence(rule, after, zone)
    assert result > after
    assert result.tzinfo is not None
    local = result.astimezone(zone)
    at = time(rule.hour, rule.minute)
    # The day that rang: the result's own date, or the day before when a gap pushed it on.
    ringing = [
        d
        for d in (local.date(), local.date() - timedelta(days=1))
        if rings_on(rule, d) and ring_instant(rule, d, zone) == result
    ]
    assert ringing, f"{local} is not a ring of {rule.to_text()}"
    if (local.hour, local.minute) != (rule.hour, rule.minute):
        assert not exists(ringing[0], at, zone), "only a gap may move the wall time"
        assert local.replace(tzinfo=None) > datetime.combine(ringing[0], at)
    assert local.fold == 0, "an ambiguous wall time rings at its first occurrence"
    # Nothing valid lies between after and the result.
    day = after.astimezone(zone).date() - timedelta(days=1)
    while day <= local.date():
        if rings_on(rule, day):
            instant = ring_instant(rule, day, zone)
            assert not after < instant < result, f"skipped {instant.astimezone(zone)}"
        day += timedelta(days=1)
    # Idempotence.
    assert next_occurrence(rule, result - timedelta(microseconds=1), zone) == result


@settings(max_examples=200, deadline=None)
@given(rule=rules())
def test_text_round_trips(rule: Recurrence) -> None:
    assert Recurrence.from_text(rule.to_text()) == rule


@settings(max_examples=100, deadline=None)
@given(case=cases)
def test_successive_occurrences_increase_and_stay_on_rule(
    case: tuple[str, Recurrence, datetime],
) -> None:
    zone_name, rule, after = case
    zone = ZoneInfo(zone_name)
    previous = after
    for _ in range(5):
        current = next_occurrence(rule, previous, zone)
        assert current > previous
        previous = current
