"""Timers, alarms and reminders: the loop that fires scheduled items and delivers the fires.

``Scheduler`` runs over a ``ting.store.ScheduleStore``; ``Clock`` lets tests drive time.
"""

from ting.scheduler.clock import Clock, SystemClock
from ting.scheduler.scheduler import NextOccurrence, OnFire, Scheduler

__all__ = ["Clock", "NextOccurrence", "OnFire", "Scheduler", "SystemClock"]
