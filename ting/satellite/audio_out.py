"""Where the satellite's sound goes: the speaker, or a folder (tests, headless boxes).

    stream = output.open("reply", run_id, rate)   # one playback
    stream.write(samples)                         # float32 mono, as it arrives
    heard = await stream.drain()                  # True when all was played, False if stopped
    stream.stop()                                 # barge-in: drop what was not heard yet
    stream.close()                                # the file written, for ``DirectoryOutput``

``DirectoryOutput`` plays on a wall clock like a real speaker (a 2 s reply takes 2 s, so
barge-in can cut it) and writes each playback to ``DIR/NNNN-<purpose>-<id>.wav``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib.util
import os
import re
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ting.audio import Samples, float_to_pcm16
from ting.errors import EngineError


class PlaybackStream(Protocol):
    def write(self, samples: Samples) -> None: ...

    async def drain(self) -> bool: ...

    def stop(self) -> None: ...

    def close(self) -> str | None:
        """Release the stream; returns where the audio went when that is a file."""
        ...


class AudioOutput(Protocol):
    def open(self, purpose: str, run_id: str, rate: int) -> PlaybackStream: ...


def write_wav(path: Path, samples: Samples, rate: int) -> None:
    """16-bit mono WAV, written beside ``path`` and renamed into place."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(float_to_pcm16(samples).tobytes())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class _ClockedStream:
    """A playback into a file, timed like a speaker: audio plays from its first write on."""

    def __init__(self, path: Path, rate: int) -> None:
        self.path = path
        self.rate = rate
        self._pieces: list[Samples] = []
        self._ends_at: float | None = None
        self._started_at: float | None = None
        self._heard_s: float | None = None
        self._stopped = asyncio.Event()

    def write(self, samples: Samples) -> None:
        if self._stopped.is_set():
            return
        now = time.monotonic()
        if self._started_at is None:
            self._started_at = now
        start = now if self._ends_at is None else max(now, self._ends_at)
        self._ends_at = start + samples.size / self.rate
        self._pieces.append(np.asarray(samples, np.float32))

    async def drain(self) -> bool:
        while not self._stopped.is_set():
            left = (self._ends_at or 0.0) - time.monotonic()
            if left <= 0:
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), left)
        return False

    def stop(self) -> None:
        if not self._stopped.is_set() and self._started_at is not None:
            self._heard_s = time.monotonic() - self._started_at
        self._stopped.set()

    def close(self) -> str | None:
        """Write what was heard (all of it, or up to where it was stopped)."""
        samples = np.concatenate(self._pieces) if self._pieces else np.zeros(0, np.float32)
        if self._heard_s is not None:
            samples = samples[: int(self._heard_s * self.rate)]
        write_wav(self.path, samples, self.rate)
        return str(self.path)


class DirectoryOutput:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[:4]) for p in folder.glob("[0-9][0-9][0-9][0-9]-*.wav")]
        self._next = max(numbers, default=0) + 1

    def open(self, purpose: str, run_id: str, rate: int) -> PlaybackStream:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)[:64] or "local"
        path = self.folder / f"{self._next:04d}-{purpose}-{safe}.wav"
        self._next += 1
        return _ClockedStream(path, rate)


class _SpeakerStream:
    def __init__(self, rate: int) -> None:
        import sounddevice

        self._loop = asyncio.get_running_loop()
        self._lock = threading.Lock()
        self._queue: collections.deque[Samples] = collections.deque()
        self._done = asyncio.Event()
        self._stopped = False
        self._stream: Any = sounddevice.OutputStream(
            samplerate=rate, channels=1, dtype="float32", callback=self._callback
        )
        self._stream.start()

    def _callback(self, out: Any, frames: int, when: Any, status: Any) -> None:
        filled = 0
        with self._lock:
            while filled < frames and self._queue:
                head = self._queue[0]
                take = min(frames - filled, head.size)
                out[filled : filled + take, 0] = head[:take]
                filled += take
                if take == head.size:
                    self._queue.popleft()
                else:
                    self._queue[0] = head[take:]
            empty = not self._queue
        out[filled:, 0] = 0.0
        if empty:
            self._loop.call_soon_threadsafe(self._done.set)

    def write(self, samples: Samples) -> None:
        if self._stopped:
            return
        with self._lock:
            self._queue.append(np.asarray(samples, np.float32))
        self._done.clear()

    async def drain(self) -> bool:
        await self._done.wait()
        return not self._stopped

    def stop(self) -> None:
        self._stopped = True
        with self._lock:
            self._queue.clear()
        self._done.set()

    def close(self) -> str | None:
        with contextlib.suppress(Exception):
            self._stream.stop()
            self._stream.close()
        return None


def speaker_problem() -> str | None:
    """Why the speaker cannot be used (fit for a user), or None."""
    if importlib.util.find_spec("sounddevice") is None:
        return "the speaker needs sounddevice (pip install sounddevice)"
    try:
        import sounddevice

        sounddevice.query_devices(kind="output")
    except Exception as error:
        return f"no speaker found ({error}); try --output DIR"
    return None


class SpeakerOutput:
    def __init__(self) -> None:
        problem = speaker_problem()
        if problem is not None:
            raise EngineError(problem)

    def open(self, purpose: str, run_id: str, rate: int) -> PlaybackStream:
        return _SpeakerStream(rate)
