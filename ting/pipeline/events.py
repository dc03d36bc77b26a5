"""Run events of the speech stages, the same shape as ``ting.events`` (frozen dataclasses with a
wire name). A voice run emits, in order:

    wake-detected? → vad-start → stt-start → vad-end → stt-end → intent-start → intent-end →
    handle-start? → handle-end → tts-start → tts-chunk* → tts-end → run-end    (or error)

The intent-* and handle-* events are the assistant's own, re-emitted under the voice run's id.
Every ``at`` is ``time.perf_counter()`` seconds; stream times (``*_s`` ending in ``stream``) are
seconds of input audio from the start of the stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ting.events import RunEvent


@dataclass(frozen=True)
class WakeDetected(RunEvent):
    type: ClassVar[str] = "wake-detected"
    model: str
    phrase: str
    probability: float
    stream_s: float
    """Input time of the detection (end of the phrase)."""


@dataclass(frozen=True)
class VadStart(RunEvent):
    type: ClassVar[str] = "vad-start"
    stream_s: float
    """Input time where speech starts."""


@dataclass(frozen=True)
class VadEnd(RunEvent):
    type: ClassVar[str] = "vad-end"
    speech_start_s: float
    speech_end_s: float
    """Input time of the end of the last speech frame."""
    decided_s: float
    """Input time at which the segmenter ended the utterance."""
    reason: str
    """"silence", "complete", "incomplete", "max-length", "end-of-input"."""


@dataclass(frozen=True)
class NoSpeechEvent(RunEvent):
    type: ClassVar[str] = "no-speech"
    reason: str
    """"timeout" or "end-of-input"."""


@dataclass(frozen=True)
class SttStart(RunEvent):
    type: ClassVar[str] = "stt-start"
    stream_s: float


@dataclass(frozen=True)
class SttPartial(RunEvent):
    type: ClassVar[str] = "stt-partial"
    text: str


@dataclass(frozen=True)
class SttEnd(RunEvent):
    type: ClassVar[str] = "stt-end"
    text: str
    language: str
    confidence: float
    finish_s: float
    """Seconds from the end of the utterance to the transcript."""


@dataclass(frozen=True)
class TtsStart(RunEvent):
    type: ClassVar[str] = "tts-start"
    text: str
    language: str


@dataclass(frozen=True)
class TtsChunk(RunEvent):
    type: ClassVar[str] = "tts-chunk"
    start_s: float
    """Seconds into the reply audio."""
    duration_s: float
    sample_rate: int


@dataclass(frozen=True)
class TtsEnd(RunEvent):
    type: ClassVar[str] = "tts-end"
    audio_s: float
    """Seconds of reply audio played."""
    interrupted: bool = False
    by: str = ""
    """What interrupted it: "wake", "stop" or ""."""


@dataclass(frozen=True)
class VoiceRunEnd(RunEvent):
    type: ClassVar[str] = "run-end"
    text: str
    reply: str
    language: str
    outcome: str
    """"replied", "interrupted", "no-speech", "not-understood" (empty transcript), "error"."""


SPEECH_EVENTS: tuple[type[RunEvent], ...] = (
    WakeDetected,
    VadStart,
    VadEnd,
    NoSpeechEvent,
    SttStart,
    SttPartial,
    SttEnd,
    TtsStart,
    TtsChunk,
    TtsEnd,
    VoiceRunEnd,
)
