"""The wake word protocol: an engine scores audio, the core decides what is a detection.

    engine = MicroWakeEngine(("okay_nabu", "hey_jarvis"))   # any WakeEngine
    scores = engine.process(frame)        # 10 ms frames → {model: probability} for new steps
    detector = WakeDetector(engine, settings)
    detector.process(chunk)               # chunks of any size → [WakeDetection]

The engine only answers "how likely is each wake phrase at this step"; the sliding window,
the per-model probability cutoff and the refractory period after a detection live in
``ting.wake.detector`` (one policy for every engine). Engines are blocking and cheap (well
under a millisecond per 10 ms frame); the pipeline calls them off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat


@dataclass(frozen=True)
class WakeModelInfo:
    name: str
    """Model id, e.g. "okay_nabu"."""
    phrase: str
    """What the user says, e.g. "Okay Nabu"."""
    default_cutoff: float
    """The model author's probability cutoff (0..1)."""
    default_window: int
    """The model author's sliding window, in inference steps."""
    step_s: float
    """Seconds of audio between two inference steps (probabilities)."""


@dataclass(frozen=True)
class WakeCapabilities:
    models: tuple[WakeModelInfo, ...]
    """The models this engine instance runs, in the order given."""
    frame_ms: int = 10
    """Milliseconds per frame ``process`` takes."""
    audio_format: AudioFormat = SPEECH_FORMAT

    def model(self, name: str) -> WakeModelInfo:
        for info in self.models:
            if info.name == name:
                return info
        raise KeyError(name)


class WakeEngine(Protocol):
    name: str
    capabilities: WakeCapabilities

    def process(self, frame: AudioChunk) -> dict[str, float]:
        """Raw probabilities of the models that completed an inference step with this frame
        (empty when none did). ``frame`` is exactly ``capabilities.frame_ms`` long."""
        ...

    def reset(self) -> None:
        """Forget all audio seen (a new stream starts)."""
        ...

    def close(self) -> None: ...
