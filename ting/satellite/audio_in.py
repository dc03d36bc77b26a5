"""Where the satellite's audio comes from: all sources yield 16 kHz mono ``AudioChunk``s of
``block_ms`` in real time, with continuous stream times.

- ``mic``: the default microphone (``sounddevice``);
- a WAV/FLAC file: played into the satellite once, in real time, then silence for ever;
- ``-``: raw 16-bit little-endian 16 kHz mono PCM on standard input (ends with the input);
- ``inbox:DIR``: silence in real time; every ``*.wav`` dropped into DIR is fed in real time,
  deleted, and silence follows again (tests and headless boxes).

Pacing never runs ahead of the wall clock, so a file or a fast pipe behaves like a microphone.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk, stream_audio
from ting.errors import EngineError, InputError

_LOGGER = logging.getLogger(__name__)
RATE = SPEECH_FORMAT.sample_rate


class Pacer:
    """Hands out blocks no faster than real time and stamps their stream times."""

    def __init__(self, block_ms: int) -> None:
        self.block = SPEECH_FORMAT.frames(block_ms / 1000)
        self.produced = 0
        self._origin = time.monotonic()

    async def chunk(self, samples: np.ndarray) -> AudioChunk:
        chunk = AudioChunk(np.asarray(samples, np.float32), SPEECH_FORMAT, self.produced / RATE)
        self.produced += chunk.frames
        delay = self._origin + self.produced / RATE - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)
        if delay < -1.0:  # far behind (a suspended machine): do not rush to catch up
            self._origin = time.monotonic() - self.produced / RATE
        return chunk

    def silence(self) -> np.ndarray:
        return np.zeros(self.block, np.float32)

    def blocks(self, samples: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        """Re-cut any blocks into exactly ``block`` samples (the last one padded)."""
        pending = np.zeros(0, np.float32)
        for piece in samples:
            pending = np.concatenate([pending, np.asarray(piece, np.float32)])
            while pending.size >= self.block:
                yield pending[: self.block]
                pending = pending[self.block :]
        if pending.size:
            yield np.pad(pending, (0, self.block - pending.size))


def _file_blocks(path: Path) -> Iterator[np.ndarray]:
    for chunk in stream_audio(path, block_s=0.2):
        yield chunk.samples


async def file_source(path: Path, block_ms: int = 40) -> AsyncIterator[AudioChunk]:
    """The file once in real time, then silence for ever."""
    pacer = Pacer(block_ms)
    for block in pacer.blocks(_file_blocks(path)):
        yield await pacer.chunk(block)
    while True:
        yield await pacer.chunk(pacer.silence())


async def inbox_source(folder: Path, block_ms: int = 40) -> AsyncIterator[AudioChunk]:
    """Silence, and every ``*.wav`` dropped into ``folder`` (oldest first), then deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    pacer = Pacer(block_ms)
    while True:
        waiting = sorted(
            (p for p in folder.glob("*.wav") if not p.name.startswith(".")),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        if not waiting:
            yield await pacer.chunk(pacer.silence())
            continue
        path = waiting[0]
        try:
            blocks = list(pacer.blocks(_file_blocks(path)))
        except InputError as error:
            # A file still being written looks truncated: try again on the next block.
            if time.time() - path.stat().st_mtime < 2.0:
                yield await pacer.chunk(pacer.silence())
                continue
            _LOGGER.warning("inbox: skipping %s: %s", path.name, error)
            blocks = []
        path.unlink(missing_ok=True)
        for block in blocks:
            yield await pacer.chunk(block)


async def stdin_source(block_ms: int = 40) -> AsyncIterator[AudioChunk]:
    """Raw s16le 16 kHz mono on standard input, until it ends."""
    pacer = Pacer(block_ms)
    size = pacer.block * 2
    stream = sys.stdin.buffer
    pending = b""
    while True:
        data = await asyncio.to_thread(stream.read, size - len(pending))
        if not data:
            return
        pending += data
        if len(pending) < size:
            continue
        samples = np.frombuffer(pending, "<i2").astype(np.float32) / 32768.0
        pending = b""
        yield await pacer.chunk(samples)


def microphone_problem() -> str | None:
    """Why the microphone cannot be used (fit for a user), or None."""
    if importlib.util.find_spec("sounddevice") is None:
        return "the microphone needs sounddevice (pip install sounddevice)"
    try:
        import sounddevice
    except OSError as error:
        return f"the microphone needs PortAudio ({error})"
    try:
        sounddevice.query_devices(kind="input")
    except Exception as error:
        return f"no microphone found ({error}); try --input FILE.wav or --input -"
    return None


async def microphone_source(block_ms: int = 40) -> AsyncIterator[AudioChunk]:
    """The default microphone."""
    problem = microphone_problem()
    if problem is not None:
        raise EngineError(problem)
    import sounddevice

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray] = asyncio.Queue(128)
    block = SPEECH_FORMAT.frames(block_ms / 1000)

    def offer(samples: np.ndarray) -> None:
        if queue.full():  # the loop fell behind: drop the oldest block, never block PortAudio
            queue.get_nowait()
        queue.put_nowait(samples)

    def callback(data: Any, count: int, when: Any, status: Any) -> None:
        loop.call_soon_threadsafe(offer, np.array(data[:, 0], dtype=np.float32))

    produced = 0
    with sounddevice.InputStream(
        samplerate=RATE, channels=1, dtype="float32", blocksize=block, callback=callback
    ):
        while True:
            samples = await queue.get()
            yield AudioChunk(samples, SPEECH_FORMAT, produced / RATE)
            produced += samples.size


def open_input(spec: str, block_ms: int = 40) -> AsyncIterator[AudioChunk]:
    """The source named by ``--input``: mic, -, inbox:DIR or a file."""
    if spec == "mic":
        return microphone_source(block_ms)
    if spec == "-":
        return stdin_source(block_ms)
    if spec.startswith("inbox:"):
        return inbox_source(Path(spec.removeprefix("inbox:")).expanduser(), block_ms)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise InputError(f"--input {spec}: no such file (use mic, -, inbox:DIR or a WAV file)")
    return file_source(path, block_ms)
