"""The listening front end: every input chunk goes through the wake detector and the VAD, in
that order, on one worker thread (both are blocking, each well under a millisecond per frame).

Both run on every chunk, whatever the pipeline is doing, so their internal state always follows
the stream without gaps: waiting for the wake word, listening to a command, watching for
barge-in while Ting speaks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections import deque
from dataclasses import dataclass

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk
from ting.vad.base import VadEngine, VadFrame, VadScorer
from ting.wake.detector import WakeDetection, WakeDetector


@dataclass(frozen=True)
class FrontResult:
    chunk: AudioChunk
    wake: tuple[WakeDetection, ...]
    frames: tuple[VadFrame, ...]


class Frontend:
    def __init__(
        self, vad: VadEngine, wake: WakeDetector | None = None, *, history_s: float = 3.0
    ) -> None:
        self.wake = wake
        self.vad = VadScorer(vad)
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="listen")
        self._history: deque[AudioChunk] = deque()
        self._history_s = history_s
        self.compute_s = 0.0
        """Seconds spent in wake and VAD inference so far."""

    def _process(self, chunk: AudioChunk) -> FrontResult:
        started = time.perf_counter()
        detections = tuple(self.wake.process(chunk)) if self.wake is not None else ()
        frames = tuple(self.vad.process(chunk))
        self.compute_s += time.perf_counter() - started
        return FrontResult(chunk, detections, frames)

    async def process(self, chunk: AudioChunk) -> FrontResult:
        self._remember(chunk)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._process, chunk)

    def _remember(self, chunk: AudioChunk) -> None:
        self._history.append(chunk)
        while self._history and chunk.end_s - self._history[0].end_s > self._history_s:
            self._history.popleft()

    def recent(self, start_s: float, end_s: float) -> AudioChunk:
        """The input between two stream times, as far as the history reaches."""
        parts = []
        for chunk in self._history:
            if chunk.end_s <= start_s or chunk.start_s >= end_s:
                continue
            rate = SPEECH_FORMAT.sample_rate
            begin = max(0, round((start_s - chunk.start_s) * rate))
            stop = min(chunk.frames, round((end_s - chunk.start_s) * rate))
            if stop > begin:
                parts.append((chunk.start_s + begin / rate, chunk.samples[begin:stop]))
        if not parts:
            return AudioChunk(np.zeros(0, np.float32), SPEECH_FORMAT, start_s)
        return AudioChunk(np.concatenate([p for _, p in parts]), SPEECH_FORMAT, parts[0][0])

    def reset(self) -> None:
        if self.wake is not None:
            self.wake.reset()
        self.vad.reset()
        self._history.clear()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
