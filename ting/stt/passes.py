"""One recognition worker shared by every stream of an engine, with priorities.

A hub hears several commands at once on a 2-core machine, and one decode already uses both
cores, so passes run one at a time. What matters is the order: a *final* pass (the user stopped
speaking and waits) runs before any *partial* pass (a preview while the user still speaks), and
partial passes are skipped rather than queued when ``max_waiting_partials`` already wait; the
stream simply tries again when more audio has arrived. Alone, a stream sees no difference.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class PassSkipped(Exception):
    """A partial pass was not run: the worker is busy with more urgent ones."""


@dataclass(order=True)
class _Job(Generic[T]):
    priority: int
    seq: int
    work: Callable[[], T] = field(compare=False)
    future: asyncio.Future[T] = field(compare=False)


class PassQueue(Generic[T]):
    FINAL = 0
    PARTIAL = 1

    def __init__(self, *, max_waiting_partials: int = 2, thread_name: str = "stt") -> None:
        self.max_waiting_partials = max_waiting_partials
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=thread_name)
        self._jobs: list[_Job[T]] = []
        self._seq = itertools.count()
        self._running = False
        self.skipped = 0
        """Partial passes skipped so far (a sign of load)."""

    @property
    def waiting(self) -> int:
        return len(self._jobs)

    async def run(self, work: Callable[[], T], *, final: bool = True) -> T:
        """Run ``work`` on the worker thread when its turn comes; ``PassSkipped`` for a partial
        pass that would wait behind ``max_waiting_partials`` others."""
        loop = asyncio.get_running_loop()
        if not final:
            waiting = sum(1 for job in self._jobs if job.priority == self.PARTIAL)
            if waiting >= self.max_waiting_partials:
                self.skipped += 1
                raise PassSkipped
        job = _Job(
            self.FINAL if final else self.PARTIAL, next(self._seq), work, loop.create_future()
        )
        heapq.heappush(self._jobs, job)
        self._next(loop)
        result: T = await job.future
        return result

    def _next(self, loop: asyncio.AbstractEventLoop) -> None:
        while not self._running and self._jobs:
            job = heapq.heappop(self._jobs)
            if job.future.cancelled():
                continue
            self._running = True
            running = loop.run_in_executor(self._executor, job.work)
            running.add_done_callback(functools.partial(self._done, loop, job))

    def _done(self, loop: asyncio.AbstractEventLoop, job: _Job[T], done: asyncio.Future[T]) -> None:
        self._running = False
        if not job.future.cancelled():
            error = done.exception()
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(done.result())
        self._next(loop)

    def close(self) -> None:
        for job in self._jobs:
            job.future.cancel()
        self._jobs.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
