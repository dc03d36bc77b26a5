"""The speech-to-text protocol: an engine declares what it can do and opens one stream per
utterance.

    engine = FasterWhisperEngine(...)            # any SttEngine
    stream = engine.start(SttOptions(vocabulary=...))
    await stream.push(chunk)                     # 16 kHz mono float32 AudioChunks, as they come
    stream.partial()                             # best guess so far ("" until the first pass)
    transcript = await stream.finish()           # the final Transcript

Streams may work while audio arrives (``capabilities.partials``) so that ``finish`` has little
left to do. Engines never block the event loop. Errors: ``InputError`` for audio in the wrong
format, ``EngineError`` when the model fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat


@dataclass(frozen=True)
class SttCapabilities:
    languages: tuple[str, ...]
    """Language codes the engine transcribes ("en", "zh")."""
    streaming: bool
    """Accepts audio chunk by chunk while the user speaks."""
    partials: bool
    """Produces partial transcripts before ``finish``."""
    language_id: bool
    """Identifies the language of each utterance itself."""
    biasing: bool
    """Takes a vocabulary to favour (``SttOptions.vocabulary``)."""
    audio_format: AudioFormat = SPEECH_FORMAT
    """The only format ``push`` accepts."""
    max_utterance_s: float = 30.0
    """Seconds; audio past this is ignored and the transcript is marked ``truncated``."""


@dataclass(frozen=True)
class SttOptions:
    language: str | None = None
    """Force a language; None lets the engine decide per utterance."""
    vocabulary: Sequence[str] | None = None
    """Words and phrases to favour (skill vocabulary, slot values, device names); None: the
    engine's default vocabulary."""
    on_partial: Callable[[str], None] | None = None
    """Called on the event loop with each new partial transcript."""


@dataclass(frozen=True)
class SttTimings:
    audio_s: float
    """Seconds of audio transcribed."""
    compute_s: float
    """Seconds of inference in all passes for this utterance (partials included)."""
    finish_s: float
    """Seconds from ``finish`` being called to the transcript: the latency the user feels."""
    passes: int
    """Recognition passes run (background partials plus the final one, if any)."""
    final_reused: bool
    """The final transcript is a background pass that already covered all the speech."""


@dataclass(frozen=True)
class Transcript:
    text: str
    """Recognized text; "" for silence, noise or a refused (runaway) decode."""
    language: str
    confidence: float
    """0..1: exp of the mean token log-probability (0 when nothing was decoded)."""
    avg_logprob: float
    no_speech_prob: float
    timings: SttTimings
    truncated: bool = False
    """Audio past ``max_utterance_s`` was ignored."""
    language_probability: float = 1.0
    """How sure the language decision was (1 when forced)."""


class SttStream(Protocol):
    async def push(self, chunk: AudioChunk) -> None: ...

    def partial(self) -> str: ...

    async def finish(self, *, speech_end_s: float | None = None) -> Transcript:
        """The final transcript. ``speech_end_s`` (seconds from the stream start, from the
        segmenter) lets the engine reuse a pass that already covered all the speech."""
        ...

    async def cancel(self) -> None: ...


class SttEngine(Protocol):
    capabilities: SttCapabilities

    def start(self, options: SttOptions | None = None) -> SttStream: ...

    async def transcribe(self, audio: AudioChunk, options: SttOptions | None = None) -> Transcript:
        """A whole utterance at once."""
        ...

    async def aclose(self) -> None: ...
