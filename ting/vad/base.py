"""The VAD protocol: an engine answers one question — how likely is this frame speech?

    engine = SileroVadEngine()                 # any VadEngine
    probability = engine.probability(frame)    # frame: capabilities.frame_ms of 16 kHz mono

Everything else — thresholds, minimum speech, end silence, pre-roll, maximum length, timeouts
and semantic endpointing — is the core's (``ting.vad.segmenter``), the same for every engine.
``frames`` cuts any stream into an engine's frames and scores them. Engines are blocking and
stateful (one stream each); the pipeline calls them off the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat, Rechunker


@dataclass(frozen=True)
class VadCapabilities:
    frame_ms: int
    """Milliseconds of audio per ``probability`` call."""
    audio_format: AudioFormat = SPEECH_FORMAT


class VadEngine(Protocol):
    name: str
    capabilities: VadCapabilities

    def probability(self, frame: AudioChunk) -> float:
        """Speech probability (0..1) of one frame of exactly ``capabilities.frame_ms``."""
        ...

    def reset(self) -> None:
        """Forget the audio seen so far (a new stream starts)."""
        ...


@dataclass(frozen=True)
class VadFrame:
    probability: float
    start_s: float
    """Seconds from the stream start to the frame's first sample."""
    end_s: float


class VadScorer:
    """Chunks of any size in, scored engine frames out (keeps the remainder between calls)."""

    def __init__(self, engine: VadEngine) -> None:
        self.engine = engine
        caps = engine.capabilities
        self._chunker = Rechunker(caps.audio_format, caps.frame_ms)

    def process(self, chunk: AudioChunk) -> list[VadFrame]:
        return [
            VadFrame(self.engine.probability(frame), frame.start_s, frame.end_s)
            for frame in self._chunker.push(chunk)
        ]

    def reset(self) -> None:
        self.engine.reset()
        caps = self.engine.capabilities
        self._chunker = Rechunker(caps.audio_format, caps.frame_ms)


def frames(engine: VadEngine, chunks: Iterable[AudioChunk]) -> Iterator[VadFrame]:
    """Score a whole stream (offline use: benchmarks, tests)."""
    scorer = VadScorer(engine)
    for chunk in chunks:
        yield from scorer.process(chunk)
