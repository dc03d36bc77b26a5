"""A scheduler process for the crash tests: ``python scheduler_driver.py DB LOG [options]``.

Opens the store at DB, optionally schedules timers due after the given delays (printing
``SCHEDULED <item_id>`` for each; ``--schedule-only`` exits then), prints ``READY`` and runs a
``Scheduler`` whose ``on_fire`` appends ``FIRED <item_id> late=<late_by_s>`` to LOG, until
killed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from datetime import timedelta
from pathlib import Path

from ting.scheduler import Scheduler, SystemClock
from ting.store import ItemKind, Notification, ScheduledItem, SqliteStore


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("log", type=Path)
    parser.add_argument("--schedule", default="", help="comma-separated delays in seconds")
    parser.add_argument("--schedule-only", action="store_true", help="exit after scheduling")
    parser.add_argument("--poll", type=float, default=30.0, help="poll interval, seconds")
    parser.add_argument("--lease", type=float, default=60.0, help="delivery lease, seconds")
    parser.add_argument("--deliver-s", type=float, default=0.0, help="time on_fire takes")
    parser.add_argument(
        "--die-delivering", type=int, default=0, help="SIGKILL itself in the Nth on_fire call"
    )
    return parser.parse_args()


async def schedule(store: SqliteStore, clock: SystemClock, delays: list[float]) -> None:
    start = clock.now()
    for delay in delays:
        item = ScheduledItem.new(
            kind=ItemKind.TIMER,
            owner_skill="timers",
            language="en",
            created_at=start,
            due_at=start + timedelta(seconds=delay),
        )
        await store.add_item(item)
        print(f"SCHEDULED {item.id}", flush=True)


async def main(args: argparse.Namespace) -> None:
    clock = SystemClock()
    calls = 0

    async def on_fire(notification: Notification) -> None:
        nonlocal calls
        calls += 1
        if calls == args.die_delivering:
            os.kill(os.getpid(), signal.SIGKILL)
        await asyncio.sleep(args.deliver_s)
        with args.log.open("a", encoding="utf-8") as log:
            log.write(f"FIRED {notification.item_id} late={notification.late_by_s:.3f}\n")

    async with SqliteStore(args.db) as store:
        delays = [float(delay) for delay in args.schedule.split(",") if delay]
        await schedule(store, clock, delays)
        if args.schedule_only:
            return
        scheduler = Scheduler(
            store,
            on_fire=on_fire,
            clock=clock,
            poll_interval_s=args.poll,
            delivery_lease_s=args.lease,
        )
        print("READY", flush=True)
        await scheduler.run()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
