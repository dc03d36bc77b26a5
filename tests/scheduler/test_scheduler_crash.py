"""Exactly-once fires across kill -9 and across two scheduler processes on one database.

Each test runs ``scheduler_driver.py`` in real subprocesses, kills them with SIGKILL and checks
two records: the driver's log (what ``on_fire`` delivered) and the database (what was fired).
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("scheduler_driver.py")


class Driver:
    """One scheduler process, returned once it runs; ``ids`` are the items it scheduled."""

    def __init__(self, db: Path, log: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(db), str(log), *options],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ids: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("SCHEDULED "):
                self.ids.append(line.split()[1])
            elif line.strip() == "READY":
                return
        if "--schedule-only" not in options:
            raise AssertionError(f"the driver exited early with {self.process.wait()}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def drivers() -> Iterator[list[Driver]]:
    started: list[Driver] = []
    yield started
    for driver in started:
        driver.kill()


def fired(*logs: Path) -> list[tuple[str, float]]:
    """(item id, late_by_s) for every FIRED line of the logs."""
    lines = [line for log in logs if log.exists() for line in log.read_text().splitlines()]
    return [(line.split()[1], float(line.split("late=")[1])) for line in lines]


def wait_for(condition: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout_s} s")
        time.sleep(0.02)


def durable_record(db: Path) -> dict[str, tuple[int, int, str]]:
    """Per item: (notifications, delivered notifications, item state), read with plain SQL."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT i.id, count(n.id), count(n.delivered_at), i.state FROM scheduled_items i "
            "LEFT JOIN notifications n ON n.item_id = i.id GROUP BY i.id"
        ).fetchall()
    finally:
        conn.close()
    return {item_id: (count, delivered, state) for item_id, count, delivered, state in rows}


@pytest.mark.slow
def test_kill_9_mid_schedule_loses_and_repeats_nothing(
    tmp_path: Path, drivers: list[Driver]
) -> None:
    db, log = tmp_path / "ting.db", tmp_path / "fired.log"
    first = Driver(db, log, "--schedule", "1.0,1.3,2.4,2.8,3.2,3.6")
    drivers.append(first)
    started = time.monotonic()

    wait_for(lambda: len(fired(log)) >= 2, timeout_s=5)
    first.kill()
    before_kill = fired(log)
    assert [item_id for item_id, _ in before_kill] == first.ids[:2]
    assert all(late < 0.2 for _, late in before_kill)

    time.sleep(max(0.0, started + 4.0 - time.monotonic()))  # every other item is now overdue
    drivers.append(Driver(db, log))  # restarted, scheduling nothing
    wait_for(lambda: len(fired(log)) >= 6, timeout_s=5)
    time.sleep(0.3)  # room for a duplicate to show up

    record = fired(log)
    assert Counter(item_id for item_id, _ in record) == Counter(first.ids)
    late = dict(record)
    assert all(late[item_id] > 0.3 for item_id in first.ids[2:])  # due while the process was dead
    assert durable_record(db) == {item_id: (1, 1, "fired") for item_id in first.ids}


def test_a_fire_committed_but_not_delivered_is_delivered_after_restart(
    tmp_path: Path, drivers: list[Driver]
) -> None:
    db, log = tmp_path / "ting.db", tmp_path / "fired.log"
    # The driver kills itself inside on_fire: after the fire committed, before any delivery.
    dying = Driver(db, log, "--schedule", "0.3", "--die-delivering", "1", "--lease", "0.5")
    drivers.append(dying)
    assert dying.process.wait(timeout=5) == -signal.SIGKILL
    assert fired(log) == []
    assert durable_record(db) == {dying.ids[0]: (1, 0, "fired")}

    drivers.append(Driver(db, log, "--lease", "0.5"))
    wait_for(lambda: len(fired(log)) >= 1, timeout_s=5)
    time.sleep(0.3)

    assert [item_id for item_id, _ in fired(log)] == dying.ids
    assert durable_record(db) == {dying.ids[0]: (1, 1, "fired")}


def test_two_scheduler_processes_on_one_database_fire_each_item_once(
    tmp_path: Path, drivers: list[Driver]
) -> None:
    db, logs = tmp_path / "ting.db", [tmp_path / "a.log", tmp_path / "b.log"]
    # Ten items are already overdue when both start; ten fall due while both poll. Deliveries
    # are slow, so each process sees the other's fires while they are still undelivered.
    overdue = Driver(db, logs[0], "--schedule-only", "--schedule", ",".join(["0"] * 10))
    overdue.kill()
    for log in logs:
        drivers.append(Driver(db, log, "--poll", "0.05", "--deliver-s", "0.1"))
    delays = "0.4,0.4,0.4,0.6,0.6,0.6,0.8,0.8,1,1"
    soon = Driver(db, logs[0], "--schedule-only", "--schedule", delays)
    soon.kill()
    expected = overdue.ids + soon.ids

    wait_for(lambda: len(fired(*logs)) >= len(expected), timeout_s=5)
    time.sleep(0.5)

    assert Counter(item_id for item_id, _ in fired(*logs)) == Counter(expected)
    assert durable_record(db) == {item_id: (1, 1, "fired") for item_id in expected}
