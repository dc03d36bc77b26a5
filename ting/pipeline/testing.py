"""A test harness for the voice pipeline: fakes that implement the real engine protocols, so
tests (Ting's and a skill author's) drive the pipeline with synthetic audio and no models.

Synthetic audio speaks a tiny code: silence is zeros, "speech" is noise (``speech(s)``), and
the wake word is a 1 kHz tone (``wake_tone(s)``). ``EnergyVad`` hears the noise and the tone,
``ToneWake`` only the tone; ``ScriptedStt`` returns its texts one utterance at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ting.assistant import TurnResult
from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat, rms_dbfs
from ting.events import EventBus, IntentEnd, IntentStart, RunEnd, RunStart
from ting.skills.base import Scope
from ting.stt.base import SttCapabilities, SttOptions, SttTimings, Transcript
from ting.vad.base import VadCapabilities
from ting.wake.base import WakeCapabilities, WakeModelInfo

RATE = SPEECH_FORMAT.sample_rate


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


def speech(seconds: float, *, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.1, int(seconds * RATE)).astype(np.float32)


def wake_tone(seconds: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)


def _tone_ratio(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    total = float(spectrum.sum()) + 1e-9
    peak = round(1000 * samples.size / RATE)
    return float(spectrum[max(0, peak - 1) : peak + 2].sum()) / total


class EnergyVad:
    """Speech probability 1 for frames louder than -40 dBFS, else 0 (10 ms frames)."""

    name = "energy"

    def __init__(self) -> None:
        self.capabilities = VadCapabilities(frame_ms=10)

    def probability(self, frame: AudioChunk) -> float:
        return 1.0 if rms_dbfs(frame.samples) > -40.0 else 0.0

    def reset(self) -> None:
        pass


class ToneWake:
    """A "wake word" that is a 1 kHz tone: probability 1 per 30 ms step that is mostly tone."""

    name = "tone"

    def __init__(self) -> None:
        self.capabilities = WakeCapabilities(
            models=(WakeModelInfo("tone", "Beep", 0.5, 3, 0.03),), frame_ms=10
        )
        self._frames: list[np.ndarray] = []

    def process(self, frame: AudioChunk) -> dict[str, float]:
        self._frames.append(frame.samples)
        if len(self._frames) < 3:
            return {}
        samples = np.concatenate(self._frames)
        self._frames = []
        return {"tone": 1.0 if _tone_ratio(samples) > 0.5 else 0.0}

    def reset(self) -> None:
        self._frames = []

    def close(self) -> None:
        pass


class ScriptedStream:
    def __init__(self, stt: ScriptedStt, options: SttOptions) -> None:
        self._stt = stt
        self._options = options
        self._audio_s = 0.0
        self.covered_s = 0.0
        self._text: str | None = None

    async def push(self, chunk: AudioChunk) -> None:
        self._audio_s += chunk.duration_s
        if self._audio_s >= self._stt.partial_after_s and self._text is None:
            self._text = self._stt.next_text()
        if self._text is not None:
            self.covered_s = self._audio_s

    def partial(self) -> str:
        return self._text or ""

    async def finish(self, *, speech_end_s: float | None = None) -> Transcript:
        await asyncio.sleep(self._stt.finish_delay_s)
        text = self._text if self._text is not None else self._stt.next_text()
        return self._stt.transcript(text, self._audio_s)

    async def cancel(self) -> None:
        pass


@dataclass
class ScriptedStt:
    """Recognizes its ``texts`` in order, one per utterance (or ``transcribe`` call)."""

    texts: list[str]
    language: str = "en"
    partial_after_s: float = 0.2
    """Seconds of audio after which the partial transcript is the whole text."""
    finish_delay_s: float = 0.0
    heard: list[str] = field(default_factory=list)
    capabilities: SttCapabilities = field(
        default_factory=lambda: SttCapabilities(("en", "zh"), True, True, False, False)
    )

    def next_text(self) -> str:
        text = self.texts.pop(0) if self.texts else ""
        self.heard.append(text)
        return text

    def transcript(self, text: str, audio_s: float) -> Transcript:
        timings = SttTimings(audio_s, 0.0, self.finish_delay_s, 1, True)
        return Transcript(text, self.language, 1.0 if text else 0.0, 0.0, 0.0, timings)

    def start(self, options: SttOptions | None = None) -> ScriptedStream:
        return ScriptedStream(self, options or SttOptions())

    async def transcribe(self, audio: AudioChunk, options: SttOptions | None = None) -> Transcript:
        return self.transcript(self.next_text(), audio.duration_s)

    async def aclose(self) -> None:
        pass


class ScriptedAssistant:
    """Replies from a table: text → (reply, expecting); unknown text → "Sorry?"."""

    def __init__(self, replies: dict[str, tuple[str, str | None]]) -> None:
        self.replies = replies
        self.events = EventBus()
        self.heard: list[str] = []

    async def handle_text(self, text: str, *, scope: Scope | None = None) -> TurnResult:
        scope = scope or Scope()
        self.heard.append(text)
        reply, expecting = self.replies.get(text, ("Sorry?", None))
        run_id = f"turn-{len(self.heard)}"
        loop = asyncio.get_running_loop()
        self.events.emit(RunStart(run_id, loop.time(), text, scope.device_id))
        self.events.emit(IntentStart(run_id, loop.time(), text, ("en",)))
        intent = "known" if text in self.replies else None
        self.events.emit(IntentEnd(run_id, loop.time(), intent, "en", 1.0))
        self.events.emit(RunEnd(run_id, loop.time(), reply, "en"))
        return TurnResult(text, "en", reply, intent, None, 1.0, {}, [], expecting, 0.0)


class TimedVoice:
    """Speaks ``chunk_s`` chunks of a tone, one every ``delay_s`` seconds of wall time, as many
    as the reply has words × ``chunks_per_word``."""

    def __init__(self, *, chunk_s: float = 0.1, delay_s: float = 0.02, chunks_per_word: int = 2):
        self.format = AudioFormat(22_050)
        self.chunk_s = chunk_s
        self.delay_s = delay_s
        self.chunks_per_word = chunks_per_word
        self.started: list[str] = []
        self.finished: list[str] = []

    async def speak(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        self.started.append(text)
        count = max(1, len(text.split()) * self.chunks_per_word)
        samples = np.full(self.format.frames(self.chunk_s), 0.1, np.float32)
        for i in range(count):
            await asyncio.sleep(self.delay_s)
            yield AudioChunk(samples, self.format, i * self.chunk_s)
        self.finished.append(text)


def recorder(bus: EventBus) -> Callable[[], Sequence[str]]:
    """Subscribe to ``bus``; the returned function lists the event types seen so far."""
    seen: list[str] = []
    bus.subscribe(lambda event: seen.append(event.type))
    return lambda: list(seen)
