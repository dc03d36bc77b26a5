"""Audio in and out of the pipeline, independent of where it comes from or goes.

In: ``AudioInput`` wraps any async iterator of 16 kHz mono chunks (a file, a microphone, a
network stream) and lets the stages pull from it in turn; a pump task reads ahead into a bounded
queue, so a live source is never starved while a stage is busy and a long file is never held
whole. ``file_source`` streams a file, optionally paced like a live microphone.

Out: an ``AudioSink`` plays reply chunks; ``interrupt`` drops what has not been heard yet
(barge-in). ``CollectingSink`` keeps them (``ting ask``), and writes a WAV file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import wave
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Protocol

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat, stream_audio
from ting.errors import InputError

_END = None


class AudioInput:
    """The input stream the stages share; ``get`` returns None once it has ended."""

    def __init__(self, source: AsyncIterator[AudioChunk], *, read_ahead: int = 64) -> None:
        self._queue: asyncio.Queue[AudioChunk | BaseException | None] = asyncio.Queue(read_ahead)
        self._back: list[AudioChunk] = []
        self._ended = False
        self._pump = asyncio.create_task(self._read(source), name="ting-audio-in")
        self.position_s = 0.0
        """Stream time of the end of the last chunk handed out."""

    async def _read(self, source: AsyncIterator[AudioChunk]) -> None:
        try:
            async for chunk in source:
                if chunk.format != SPEECH_FORMAT:
                    raise InputError(f"the pipeline takes {SPEECH_FORMAT}, not {chunk.format}")
                await self._queue.put(chunk)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            await self._queue.put(error)
        await self._queue.put(_END)

    async def get(self) -> AudioChunk | None:
        """The next chunk, None at the end; an error of the source is raised here."""
        if self._back:
            chunk = self._back.pop()
        elif self._ended:
            return None
        else:
            item = await self._queue.get()
            if item is None:
                self._ended = True
                return None
            if isinstance(item, BaseException):
                self._ended = True
                raise item
            chunk = item
        self.position_s = max(self.position_s, chunk.end_s)
        return chunk

    def unget(self, chunk: AudioChunk) -> None:
        """Put a chunk back: the next ``get`` returns it."""
        self._back.append(chunk)

    @property
    def ended(self) -> bool:
        return self._ended and not self._back

    async def aclose(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._pump


def file_source(
    path: str | Path,
    *,
    block_s: float = 0.1,
    pace: float | None = None,
    started: list[float] | None = None,
) -> AsyncIterator[AudioChunk]:
    """A file as 16 kHz mono chunks. ``pace`` None: as fast as it reads; 1.0: like a live
    microphone (each chunk arrives when its last sample would have been spoken). ``started``
    gets the ``perf_counter`` time of stream time 0 appended (for latency measurements)."""
    return paced(stream_audio(path, block_s=block_s), pace=pace, started=started)


def array_source(
    samples: np.ndarray,
    *,
    block_s: float = 0.1,
    pace: float | None = None,
    started: list[float] | None = None,
) -> AsyncIterator[AudioChunk]:
    """16 kHz mono float32 samples as chunks (tests and benchmarks), optionally paced."""
    step = max(1, SPEECH_FORMAT.frames(block_s))
    data = np.asarray(samples, np.float32)
    chunks = (
        AudioChunk(data[i : i + step], SPEECH_FORMAT, i / SPEECH_FORMAT.sample_rate)
        for i in range(0, data.size, step)
    )
    return paced(chunks, pace=pace, started=started)


async def paced(
    chunks: Iterable[AudioChunk], *, pace: float | None, started: list[float] | None = None
) -> AsyncIterator[AudioChunk]:
    """Chunks handed out no faster than ``pace`` × real time (None: at once)."""
    origin = time.perf_counter()
    if started is not None:
        started.append(origin)
    for chunk in chunks:
        if pace:
            delay = origin + chunk.end_s / pace - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)
        yield chunk


class AudioSink(Protocol):
    async def play(self, chunk: AudioChunk) -> None:
        """Queue one chunk of reply audio (may wait while the device's buffer is full)."""
        ...

    def interrupt(self) -> None:
        """Drop everything not heard yet (barge-in)."""
        ...


class CollectingSink:
    """Keeps the reply audio (all turns, in order) and the time its first sample arrived."""

    def __init__(self) -> None:
        self.chunks: list[AudioChunk] = []
        self.first_at: float | None = None
        self.interrupted = 0

    async def play(self, chunk: AudioChunk) -> None:
        if self.first_at is None:
            self.first_at = time.perf_counter()
        self.chunks.append(chunk)

    def interrupt(self) -> None:
        self.interrupted += 1

    @property
    def format(self) -> AudioFormat | None:
        return self.chunks[0].format if self.chunks else None

    @property
    def audio_s(self) -> float:
        return sum(c.duration_s for c in self.chunks)

    def samples(self) -> np.ndarray:
        if not self.chunks:
            return np.zeros(0, np.float32)
        return np.concatenate([c.samples for c in self.chunks])

    def write_wav(self, path: Path, *, sample_rate: int | None = None) -> float:
        """Write 16-bit mono WAV (whole or not at all); returns the seconds written."""
        rate = sample_rate or (self.format.sample_rate if self.format else 22_050)
        write_wav(path, self.samples(), rate)
        return self.audio_s


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """16-bit mono WAV, written beside ``path`` and renamed into place."""
    path = Path(path)
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(pcm.tobytes())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
