"""Plays what the satellite must say, one playback after the other.

Hub audio arrives as a stream (``begin`` on ``audio-start``, ``feed`` per chunk, ``finish`` on
``audio-stop``) and starts playing at once; local sounds (``play``) arrive whole. The worker
(``run``) plays them in order through an ``AudioOutput`` and reports each start and end to the
runner. ``stop_all`` is barge-in: it drops what is playing and what waits.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import numpy as np

from ting.audio import Samples
from ting.satellite.audio_out import AudioOutput

_LOGGER = logging.getLogger(__name__)
STALL_S = 10.0
"""Seconds without new audio after which a hub stream is taken as ended."""


@dataclass(eq=False)
class Playback:
    purpose: str
    """"reply", "notification", "announcement" (from the hub), or "alarm", "unreachable"."""
    run_id: str
    rate: int
    local: bool = False
    """Made on the satellite (no ``played`` to the hub)."""
    expecting: bool = False
    """A reply that asked a question: listen for the answer afterwards."""
    pieces: collections.deque[Samples] = field(default_factory=collections.deque)
    complete: bool = False
    stopped: bool = False
    audio_s: float = 0.0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, samples: Samples) -> None:
        if not self.complete and not self.stopped:
            self.pieces.append(samples)
            self.audio_s += samples.size / self.rate
            self.changed.set()

    def end(self) -> None:
        self.complete = True
        self.changed.set()


StartHook = Callable[[Playback], Awaitable[None]]
EndHook = Callable[[Playback, bool, "str | None"], Awaitable[None]]


class Player:
    def __init__(self, output: AudioOutput, on_start: StartHook, on_end: EndHook) -> None:
        self.output = output
        self._on_start = on_start
        self._on_end = on_end
        self._queue: collections.deque[Playback] = collections.deque()
        self._wakeup = asyncio.Event()
        self.current: Playback | None = None
        self._stream_stop: Callable[[], None] | None = None

    @property
    def busy(self) -> bool:
        return self.current is not None or bool(self._queue)

    def pending(self) -> int:
        return len(self._queue)

    def _find(self, run_id: str) -> Playback | None:
        for item in (self.current, *self._queue):
            if item is not None and item.run_id == run_id and not item.complete:
                return item
        return None

    def begin(self, purpose: str, run_id: str, rate: int, *, expecting: bool = False) -> Playback:
        item = Playback(purpose, run_id, rate, expecting=expecting)
        self._queue.append(item)
        self._wakeup.set()
        return item

    def feed(self, run_id: str, samples: Samples) -> bool:
        item = self._find(run_id)
        if item is None:
            return False
        item.add(samples)
        return True

    def finish(self, run_id: str) -> bool:
        item = self._find(run_id)
        if item is None:
            return False
        item.end()
        return True

    def finish_all(self) -> None:
        """The hub is gone: play what arrived of each stream and stop there."""
        for item in (self.current, *self._queue):
            if item is not None:
                item.end()

    def play(self, purpose: str, run_id: str, samples: Samples, rate: int) -> Playback:
        """A whole local sound."""
        item = Playback(purpose, run_id, rate, local=True)
        item.add(np.asarray(samples, np.float32))
        item.end()
        self._queue.append(item)
        self._wakeup.set()
        return item

    def stop_all(self) -> list[Playback]:
        """Barge-in: stop the playing item and drop the waiting ones; returns them."""
        stopped = [item for item in (self.current, *self._queue) if item is not None]
        for item in stopped:
            item.stopped = True
            item.changed.set()
        self._queue.clear()
        if self._stream_stop is not None:
            self._stream_stop()
        return stopped

    async def run(self) -> None:
        while True:
            while not self._queue:
                self._wakeup.clear()
                await self._wakeup.wait()
            item = self._queue.popleft()
            self.current = item
            try:
                heard, where = await self._play(item)
            finally:
                self.current = None
                self._stream_stop = None
            await self._on_end(item, heard, where)

    async def _play(self, item: Playback) -> tuple[bool, str | None]:
        await self._on_start(item)
        stream = self.output.open(item.purpose, item.run_id, item.rate)
        self._stream_stop = stream.stop
        try:
            while not item.stopped:
                while item.pieces:
                    stream.write(item.pieces.popleft())
                if item.complete:
                    break
                item.changed.clear()
                try:
                    await asyncio.wait_for(item.changed.wait(), STALL_S)
                except TimeoutError:
                    _LOGGER.warning(
                        "%s %s: no audio for %.0f s", item.purpose, item.run_id, STALL_S
                    )
                    item.end()
            heard = not item.stopped and await stream.drain()
        finally:
            where = stream.close()
        return heard and not item.stopped, where
