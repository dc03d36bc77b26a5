"""One command's audio as it arrives from a satellite: wire chunks in, 16 kHz mono out.

The satellite may send any common rate, mono or stereo; the pipeline takes ``SPEECH_FORMAT``,
so chunks are mixed down and resampled as a stream. The stream ends at ``audio-stop``, when the
satellite goes away, or after ``gap_s`` seconds without audio (a satellite that stopped
without saying so). A flood beyond ``max_chunks`` queued chunks is dropped, not buffered.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from ting.audio.format import SPEECH_FORMAT, AudioChunk, to_mono
from ting.audio.resample import Resampler
from ting.protocol.audio import event_chunk
from ting.protocol.events import AudioChunk as AudioChunkEvent


class CommandAudio:
    def __init__(self, *, gap_s: float = 5.0, max_chunks: int = 4000) -> None:
        self.gap_s = gap_s
        self._queue: asyncio.Queue[AudioChunk | None] = asyncio.Queue(max_chunks)
        self._resampler: Resampler | None = None
        self._position_s = 0.0
        self.ended = False
        self.dropped = 0

    def feed(self, event: AudioChunkEvent) -> None:
        """Queue one wire chunk (``FrameError`` when its payload does not fit its format)."""
        if self.ended:
            return
        chunk = event_chunk(event)
        samples = to_mono(chunk.samples)
        rate = chunk.format.sample_rate
        if rate != SPEECH_FORMAT.sample_rate:
            if self._resampler is None or self._resampler.in_rate != rate:
                self._resampler = Resampler(rate, SPEECH_FORMAT.sample_rate)
            samples = self._resampler.process(samples)
        if samples.size == 0:
            return
        speech = AudioChunk(samples, SPEECH_FORMAT, self._position_s)
        self._position_s = speech.end_s
        try:
            self._queue.put_nowait(speech)
        except asyncio.QueueFull:
            self.dropped += 1

    def end(self) -> None:
        if not self.ended:
            self.ended = True
            # A reader far behind sees ``ended`` once the queue drains.
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)

    async def chunks(self) -> AsyncIterator[AudioChunk]:
        while True:
            if self.ended and self._queue.empty():
                return
            try:
                chunk = await asyncio.wait_for(self._queue.get(), self.gap_s)
            except TimeoutError:
                return
            if chunk is None:
                return
            yield chunk
