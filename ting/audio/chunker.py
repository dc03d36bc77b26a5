"""Re-chunking: cut a stream of arbitrary blocks into fixed-size frames.

Wake and VAD engines take fixed frames (10, 20 or 30 ms at 16 kHz); microphones and files deliver
whatever block size they like. ``Rechunker`` keeps the remainder between calls and stamps each
frame with its true start time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ting.audio.format import AudioChunk, AudioFormat, Samples
from ting.errors import InputError


class Rechunker:
    """Frames of exactly ``frame_ms`` milliseconds from chunks of any size, in one format."""

    def __init__(self, fmt: AudioFormat, frame_ms: float) -> None:
        frames = fmt.sample_rate * frame_ms / 1000.0
        if frame_ms <= 0 or frames != int(frames):
            raise ValueError(f"{frame_ms} ms is not a whole number of frames at {fmt.sample_rate}")
        self.format = fmt
        self.frame_frames = int(frames)
        shape = (0,) if fmt.channels == 1 else (0, fmt.channels)
        self._pending: Samples = np.zeros(shape, np.float32)
        self._pending_start: float | None = None

    def push(self, chunk: AudioChunk) -> list[AudioChunk]:
        """The whole frames now available; the remainder waits for the next chunk."""
        if chunk.format != self.format:
            raise InputError(f"chunk in {chunk.format}, expected {self.format}")
        if self._pending_start is None or self._pending.shape[0] == 0:
            self._pending_start = chunk.start_s
            self._pending = chunk.samples
        else:
            self._pending = np.concatenate([self._pending, chunk.samples])
        whole = self._pending.shape[0] // self.frame_frames
        out = [self._frame(i) for i in range(whole)]
        self._pending = self._pending[whole * self.frame_frames :].copy()
        self._pending_start += whole * self.frame_frames / self.format.sample_rate
        return out

    def flush(self, *, pad: bool = True) -> list[AudioChunk]:
        """The last partial frame, zero-padded to full size (or dropped when ``pad`` is off)."""
        if self._pending.shape[0] == 0 or not pad or self._pending_start is None:
            self._pending = self._pending[:0]
            return []
        missing = self.frame_frames - self._pending.shape[0]
        width = ((0, missing),) if self.format.channels == 1 else ((0, missing), (0, 0))
        frame = np.pad(self._pending, width)
        start = self._pending_start
        self._pending = self._pending[:0]
        return [AudioChunk(frame, self.format, start)]

    def _frame(self, index: int) -> AudioChunk:
        assert self._pending_start is not None
        begin = index * self.frame_frames
        samples = self._pending[begin : begin + self.frame_frames].copy()
        start = self._pending_start + begin / self.format.sample_rate
        return AudioChunk(samples, self.format, start)


def rechunk(
    chunks: Iterable[AudioChunk], fmt: AudioFormat, frame_ms: float, *, pad: bool = True
) -> Iterator[AudioChunk]:
    """Fixed-size frames from an iterable of chunks."""
    chunker = Rechunker(fmt, frame_ms)
    for chunk in chunks:
        yield from chunker.push(chunk)
    yield from chunker.flush(pad=pad)
