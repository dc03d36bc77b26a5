"""The scheduler: fires timers, alarms and reminders when due, and delivers every fire.

Delivery follows the outbox pattern. Firing an item and recording its ``Notification`` is one
store transaction (``ScheduleStore.fire_item``) that succeeds once per occurrence, whatever the
number of scheduler loops or processes racing on the database. Only after that commit is the
notification handed to ``on_fire``, and only after ``on_fire`` returns is it marked delivered.
Undelivered notifications (the process died in between, or ``on_fire`` raised) are delivered
again, by ``run()`` as soon as it starts and then with exponential backoff. So every fire is
*recorded exactly once* and *delivered at least once*; a duplicate delivery is only possible
when the process dies after ``on_fire`` returned and before ``mark_delivered`` committed.

Two schedulers on one database do not deliver the same notification twice either: a deliverer
first claims a notification for ``delivery_lease_s`` (``fire_item`` claims it for the firer).
A claim left by a killed process expires after the lease; ``on_fire`` must return well within it
(hand the notification to the device, do not wait for the alarm to be stopped).

Missed fires: an item whose ``due_at`` passed while Ting was down fires as soon as the
scheduler runs; the notification and its payload carry ``due_at`` and ``late_by_s`` and the
owner skill chooses the words. A recurring item fires once for the whole missed period and
moves to ``next_occurrence(item, now)``, its first occurrence after now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from ting.scheduler.clock import Clock, SystemClock
from ting.store.base import ScheduleStore
from ting.store.records import Notification, ScheduledItem, late_by_s

logger = logging.getLogger(__name__)

OnFire = Callable[[Notification], Awaitable[None]]
"""Tells or rings a notification on its device; raising means "not delivered, retry"."""
NextOccurrence = Callable[[ScheduledItem, datetime], datetime | None]
"""The first occurrence of a recurring item strictly after the given instant, None when the
rule has ended. Owner skills interpret ``item.recurrence``; the hub passes their dispatcher."""


class Scheduler:
    """Fires due items of every household in one store; run one or more per database."""

    def __init__(
        self,
        store: ScheduleStore,
        *,
        on_fire: OnFire,
        clock: Clock | None = None,
        next_occurrence: NextOccurrence | None = None,
        poll_interval_s: float = 30.0,
        delivery_lease_s: float = 60.0,
        retry_base_s: float = 1.0,
        retry_max_s: float = 300.0,
        batch_size: int = 100,
    ) -> None:
        """
        ``poll_interval_s``: the longest sleep, in seconds, so changes made by other processes
        (which cannot call ``wake()``) are seen within it. ``delivery_lease_s``: seconds a
        deliverer holds a notification before another may retry it. ``retry_base_s`` and
        ``retry_max_s``: the first and the longest wait, in seconds, between delivery attempts
        (doubling in between). ``batch_size``: items fired or notifications claimed per pass.
        """
        self._store = store
        self._on_fire = on_fire
        self._clock: Clock = clock or SystemClock()
        self._next_occurrence = next_occurrence
        self._poll_interval_s = poll_interval_s
        self._lease = timedelta(seconds=delivery_lease_s)
        self._retry_base_s = retry_base_s
        self._retry_max_s = retry_max_s
        self._batch_size = batch_size
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Re-read the schedule now (after adding or changing an item in this process).

        Call it from the event loop's thread.
        """
        self._wakeup.set()

    async def run(self) -> None:
        """Deliver what earlier runs left undelivered, then fire items as they fall due.

        Runs until cancelled. A failing pass (the store is locked, a bug) is logged and retried
        with backoff; it never ends the loop.
        """
        failures = 0
        while True:
            self._wakeup.clear()
            try:
                now = self._clock.now()
                await self.deliver_pending(now)
                await self.fire_due(now)
                delay = await self._seconds_until_next()
                failures = 0
            except Exception:
                failures += 1
                delay = min(self._backoff(failures), self._poll_interval_s)
                logger.exception("scheduler pass failed; trying again in %.1f s", delay)
            await self._sleep(delay)

    async def fire_due(self, now: datetime) -> list[Notification]:
        """Fire every item due at ``now``, then deliver each fire; returns the fires recorded.

        Items another scheduler fired first are skipped. A failed delivery is logged and left
        for ``deliver_pending`` to retry; the notification is still returned.
        """
        fired: list[Notification] = []
        try:
            for item in await self._store.due_items(now, limit=self._batch_size):
                notification = await self._fire(item, now)
                if notification is not None:
                    fired.append(notification)
        except Exception:
            # Still deliver what was recorded, rather than leave it to a claim expiring.
            await self._deliver_all(fired)
            raise
        await self._deliver_all(fired)
        return fired

    async def deliver_pending(self, now: datetime) -> list[Notification]:
        """Deliver recorded but undelivered notifications that nobody holds; returns those
        delivered now."""
        claimed = await self._store.claim_notifications(
            now, now + self._lease, limit=self._batch_size
        )
        return [notification for notification in claimed if await self._deliver(notification)]

    async def _fire(self, item: ScheduledItem, now: datetime) -> Notification | None:
        if item.due_at is None:
            return None
        notification = await self._store.fire_item(
            item.id,
            due_at=item.due_at,
            fired_at=now,
            next_due_at=self._next_due_at(item, now),
            payload=_notification_payload(item, item.due_at, now),
            claim_until=now + self._lease,
        )
        if notification is not None:
            logger.info(
                "fired %s %s of %s (late by %.1f s)",
                item.kind,
                item.id,
                item.owner_skill,
                notification.late_by_s,
            )
        return notification

    def _next_due_at(self, item: ScheduledItem, now: datetime) -> datetime | None:
        """The item's next occurrence after ``now``, or None to fire it for the last time."""
        if item.recurrence is None:
            return None
        if self._next_occurrence is None:
            logger.warning("no next_occurrence given; recurring %s fires only once", item.id)
            return None
        try:
            following = self._next_occurrence(item, now)
        except Exception:
            logger.exception(
                "next occurrence of %s (%r) failed; last fire", item.id, item.recurrence
            )
            return None
        if following is not None and following <= now:
            logger.error(
                "next occurrence of %s is not in the future (%s); last fire", item.id, following
            )
            return None
        return following

    async def _deliver_all(self, notifications: list[Notification]) -> None:
        for notification in notifications:
            await self._deliver(notification)

    async def _deliver(self, notification: Notification) -> bool:
        """Hand one claimed notification to ``on_fire``; True when it was delivered."""
        try:
            await self._on_fire(notification)
        except asyncio.CancelledError:
            # Shutting down mid-delivery: let the next run deliver it at once.
            await self._store.release_notification(notification.id, self._clock.now())
            raise
        except Exception:
            delay = self._backoff(notification.attempts)
            retry_at = self._clock.now() + timedelta(seconds=delay)
            logger.exception(
                "delivering notification %d of %s failed (attempt %d); retrying in %.1f s",
                notification.id,
                notification.item_id,
                notification.attempts,
                delay,
            )
            await self._store.release_notification(notification.id, retry_at)
            return False
        await self._store.mark_delivered(notification.id, self._clock.now())
        return True

    def _backoff(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failure (1, 2, …): doubling, capped."""
        return float(min(self._retry_base_s * 2 ** max(0, attempt - 1), self._retry_max_s))

    async def _seconds_until_next(self) -> float:
        """Seconds to the next due item or delivery retry, capped at the poll interval."""
        times = [
            at
            for at in (await self._store.next_due(), await self._store.next_claimable_at())
            if at is not None
        ]
        if not times:
            return self._poll_interval_s
        seconds = (min(times) - self._clock.now()).total_seconds()
        return min(max(0.0, seconds), self._poll_interval_s)

    async def _sleep(self, seconds: float) -> None:
        """Sleep on the clock until ``seconds`` pass or ``wake()`` is called."""
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        waker = asyncio.ensure_future(self._wakeup.wait())
        try:
            await asyncio.wait((sleeper, waker), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)


def _notification_payload(item: ScheduledItem, due_at: datetime, now: datetime) -> dict[str, Any]:
    """The item's own payload plus what the owner skill needs to word the fire."""
    return {
        **item.payload,
        "label": item.label,
        "due_at": due_at.isoformat(),
        "late_by_s": late_by_s(due_at, now),
        "recurrence": item.recurrence,
        "user_id": item.user_id,
    }
