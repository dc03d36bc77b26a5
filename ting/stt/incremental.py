"""An ``SttStream`` for engines that re-transcribe the whole buffer (whisper and the like).

While audio arrives, a background pass re-transcribes the growing buffer every
``partial_interval_s`` of new audio, and as soon as the speech pauses for ``pause_s`` (one pass
at a time, off the event loop); its text is the partial transcript. At ``finish`` the last
pass is reused when the audio it did not see is only trailing silence (known from
``speech_end_s``, or measured: quieter than the loudest 100 ms by ``tail_silence_db``). The
segmenter waits several hundred milliseconds of silence before it ends a turn, and the pass
that started after the speech has usually finished by then, so the user waits for almost
nothing. Otherwise ``finish`` waits for the running pass and runs one more.

Utterance length policy: at most ``max_utterance_s`` seconds are kept (preallocated, so memory is
bounded); audio past that is dropped and the transcript says ``truncated``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk, Samples, rms_dbfs
from ting.errors import EngineError, InputError
from ting.stt.base import SttOptions, SttTimings, Transcript
from ting.stt.passes import PassSkipped

_LOGGER = logging.getLogger(__name__)
_WINDOW = SPEECH_FORMAT.sample_rate // 10


@dataclass(frozen=True)
class Hypothesis:
    """One recognition pass over a buffer."""

    text: str
    language: str
    language_probability: float
    avg_logprob: float
    no_speech_prob: float
    compute_s: float
    """Seconds the pass took."""
    model: str = ""


@dataclass(frozen=True)
class IncrementalSettings:
    partials: bool = True
    """Run background passes while audio arrives."""
    partial_interval_s: float = 0.4
    """Seconds of new audio between background passes."""
    first_pass_s: float = 0.5
    """Seconds of audio before the first background pass."""
    pause_s: float = 0.15
    """Seconds of silence at the end of the buffer that start a pass at once, without waiting
    for ``partial_interval_s`` of new audio: the pass that covers the whole command then starts
    when the user stops, and the endpointer can judge it sooner."""
    max_utterance_s: float = 30.0
    """Seconds of audio kept per utterance; whisper's window is 30 s."""
    tail_silence_db: float = 25.0
    """Unseen audio this many dB below the loudest 100 ms counts as silence at ``finish``."""
    silence_dbfs: float = -55.0
    """Unseen audio quieter than this (RMS, dBFS) always counts as silence."""
    language_lock_probability: float = 0.95
    """Once a pass over at least ``language_lock_min_s`` of audio identified the language with
    this probability, later passes of the utterance keep it (no language ID per pass: about
    half the compute of a pass, measured 0.41 → 0.19 CPU s on a 1.7 s English command)."""
    language_lock_min_s: float = 1.0


Decode = Callable[[Samples, str | None, Sequence[str]], Hypothesis]


class Offload(Protocol):
    """Runs a blocking pass off the event loop; ``final``: the user is waiting for it (a
    partial pass may be refused with ``PassSkipped`` when the worker is busy)."""

    def __call__(self, work: Callable[[], Hypothesis], *, final: bool) -> Awaitable[Hypothesis]: ...


class IncrementalStream:
    """One utterance. ``decode`` is blocking; ``offload`` runs it off the event loop."""

    def __init__(
        self,
        decode: Decode,
        offload: Offload,
        settings: IncrementalSettings,
        options: SttOptions,
        vocabulary: Sequence[str],
    ) -> None:
        self._decode = decode
        self._offload = offload
        self._settings = settings
        self._options = options
        self._vocabulary = tuple(vocabulary)
        self._buffer = np.zeros(
            int(settings.max_utterance_s * SPEECH_FORMAT.sample_rate), np.float32
        )
        self._size = 0
        self._truncated = False
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._started_at = 0
        """Samples in the buffer when the latest pass started."""
        self._last: tuple[int, Hypothesis] | None = None
        self._language = options.language
        """The utterance's language once known (forced, or identified with confidence)."""
        self._passes = 0
        self._compute_s = 0.0

    @property
    def language(self) -> str | None:
        """The language of the latest pass (None before the first)."""
        return self._last[1].language if self._last else self._options.language

    @property
    def audio_s(self) -> float:
        return self._size / SPEECH_FORMAT.sample_rate

    @property
    def covered_s(self) -> float | None:
        """Seconds of audio (from the stream start) the latest partial transcript covers; None
        before the first pass."""
        return self._last[0] / SPEECH_FORMAT.sample_rate if self._last else None

    def partial(self) -> str:
        return self._last[1].text if self._last else ""

    async def push(self, chunk: AudioChunk) -> None:
        if self._closed:
            raise InputError("this utterance is finished; start a new stream")
        if chunk.format != SPEECH_FORMAT:
            raise InputError(f"speech recognition takes {SPEECH_FORMAT}, not {chunk.format}")
        room = self._buffer.size - self._size
        samples = chunk.samples
        if samples.size > room:
            if not self._truncated:
                _LOGGER.warning(
                    "utterance longer than %.0f s: the rest is ignored",
                    self._settings.max_utterance_s,
                )
            self._truncated = True
            samples = samples[:room]
        self._buffer[self._size : self._size + samples.size] = samples
        self._size += samples.size
        self._maybe_start_pass()

    def _maybe_start_pass(self) -> None:
        settings = self._settings
        rate = SPEECH_FORMAT.sample_rate
        if not settings.partials or (self._task is not None and not self._task.done()):
            return
        if self._size < settings.first_pass_s * rate:
            return
        if self._last is not None:
            if self._unseen_is_silence(self._last[0]):
                return
            waited = self._size - self._started_at >= settings.partial_interval_s * rate
            if not waited and not self._paused():
                return
        self._started_at = self._size
        self._task = asyncio.create_task(self._background(self._size))

    async def _background(self, size: int) -> None:
        try:
            await self._pass(size, final=False)
        except PassSkipped:
            pass  # busy with other streams' final passes; try again with more audio
        except EngineError as error:
            _LOGGER.warning("background recognition pass failed: %s", error)

    async def _pass(self, size: int, *, final: bool) -> Hypothesis:
        audio = self._buffer[:size].copy()
        language = self._language
        vocabulary = self._vocabulary
        hypothesis = await self._offload(
            lambda: self._decode(audio, language, vocabulary), final=final
        )
        if (
            self._language is None
            and hypothesis.language_probability >= self._settings.language_lock_probability
            and size >= self._settings.language_lock_min_s * SPEECH_FORMAT.sample_rate
        ):
            self._language = hypothesis.language
        self._passes += 1
        self._compute_s += hypothesis.compute_s
        previous = self.partial()
        if self._last is None or size >= self._last[0]:
            self._last = (size, hypothesis)
        if (
            self._options.on_partial is not None
            and not self._closed
            and (hypothesis.text != previous)
        ):
            self._options.on_partial(hypothesis.text)
        return hypothesis

    def _unseen_is_silence(self, covered: int) -> bool:
        return self._quiet(self._buffer[covered : self._size], self._buffer[:covered])

    def _paused(self) -> bool:
        """The newest ``pause_s`` of audio is silence after speech the latest pass missed."""
        tail = int(self._settings.pause_s * SPEECH_FORMAT.sample_rate)
        if self._last is None or self._size - tail <= self._last[0]:
            return False
        return self._quiet(
            self._buffer[self._size - tail : self._size], self._buffer[: self._size - tail]
        )

    def _quiet(self, segment: Samples, reference: Samples) -> bool:
        """``segment`` is silence: below ``silence_dbfs``, or ``tail_silence_db`` under the
        loudest 100 ms of ``reference``."""
        if segment.size == 0:
            return True
        level = rms_dbfs(segment)
        if level < self._settings.silence_dbfs:
            return True
        windows = reference[: reference.size // _WINDOW * _WINDOW].reshape(-1, _WINDOW)
        if windows.shape[0] == 0:
            return False
        loudest = max(rms_dbfs(window) for window in windows)
        return level < loudest - self._settings.tail_silence_db

    async def finish(self, *, speech_end_s: float | None = None) -> Transcript:
        if self._closed:
            raise InputError("this utterance is already finished")
        started = time.perf_counter()
        self._closed = True
        if self._task is not None:
            await self._task
        reused = self._last is not None and (
            self._last[0] >= self._size
            or (
                speech_end_s is not None
                and self._last[0] >= speech_end_s * SPEECH_FORMAT.sample_rate
            )
            or self._unseen_is_silence(self._last[0])
        )
        if reused and self._last is not None:
            hypothesis = self._last[1]
        else:
            hypothesis = await self._pass(self._size, final=True)
        timings = SttTimings(
            audio_s=self.audio_s,
            compute_s=self._compute_s,
            finish_s=time.perf_counter() - started,
            passes=self._passes,
            final_reused=reused,
        )
        confidence = float(np.exp(hypothesis.avg_logprob)) if hypothesis.text else 0.0
        return Transcript(
            text=hypothesis.text,
            language=hypothesis.language,
            confidence=confidence,
            avg_logprob=hypothesis.avg_logprob,
            no_speech_prob=hypothesis.no_speech_prob,
            timings=timings,
            truncated=self._truncated,
            language_probability=hypothesis.language_probability,
        )

    async def cancel(self) -> None:
        """Drop the utterance; a pass already running finishes in its thread, unseen."""
        self._closed = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
