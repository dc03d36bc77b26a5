"""The wake word policy: sliding-window mean over each model's probabilities, a per-model
cutoff, and a refractory period after a detection.

A model fires when the mean of its last ``window`` probabilities exceeds ``cutoff``; it then
stays silent for ``refractory_s`` seconds of audio (one phrase is one detection, and Ting's own
voice saying the wake word right after it is not a new one). Sensitivity per model: a lower
cutoff or a shorter window catches more (and falsely accepts more).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ting.audio import SPEECH_FORMAT, AudioChunk, Rechunker
from ting.errors import ConfigError, InputError
from ting.wake.base import WakeEngine


@dataclass(frozen=True)
class WakeModelSettings:
    model: str
    """Model name, e.g. "okay_nabu" (``ting.wake.builtin_models()``)."""
    cutoff: float | None = None
    """Probability (0..1) the windowed mean must exceed; None: the model author's value."""
    window: int | None = None
    """Inference steps (about 30 ms each) averaged; None: the model author's value."""
    refractory_s: float = 2.0
    """Seconds of audio after a detection during which this model cannot fire again."""


@dataclass(frozen=True)
class WakeSettings:
    models: tuple[WakeModelSettings, ...] = (WakeModelSettings("okay_nabu"),)
    """The wake words listened for, all at once."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.model for m in self.models)


@dataclass(frozen=True)
class WakeDetection:
    model: str
    phrase: str
    probability: float
    """The windowed mean that crossed the cutoff."""
    at_s: float
    """Seconds from the stream start to the end of the frame that fired (≈ end of the phrase)."""


class _ModelState:
    def __init__(self, settings: WakeModelSettings, cutoff: float, window: int, phrase: str):
        if not 0.0 < cutoff < 1.0:
            raise ConfigError(f"wake word cutoff must be between 0 and 1, not {cutoff}")
        if window < 1:
            raise ConfigError(f"wake word window must be at least 1 step, not {window}")
        self.settings = settings
        self.cutoff = cutoff
        self.phrase = phrase
        self.recent: deque[float] = deque(maxlen=window)
        self.quiet_until = float("-inf")


class WakeDetector:
    """Chunks of any size in, detections out; not thread-safe (one stream per detector)."""

    def __init__(self, engine: WakeEngine, settings: WakeSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or WakeSettings(
            tuple(WakeModelSettings(m.name) for m in engine.capabilities.models)
        )
        caps = engine.capabilities
        self._states: dict[str, _ModelState] = {}
        for model in self.settings.models:
            try:
                info = caps.model(model.model)
            except KeyError:
                raise ConfigError(
                    f"wake word model {model.model!r} is not loaded by {engine.name}"
                ) from None
            self._states[model.model] = _ModelState(
                model,
                model.cutoff if model.cutoff is not None else info.default_cutoff,
                model.window if model.window is not None else info.default_window,
                info.phrase,
            )
        self._chunker = Rechunker(caps.audio_format, caps.frame_ms)
        self.max_probability: dict[str, float] = dict.fromkeys(self._states, 0.0)
        """Highest windowed mean seen per model (for tuning and benchmarks)."""

    def process(self, chunk: AudioChunk) -> list[WakeDetection]:
        if chunk.format != SPEECH_FORMAT:
            raise InputError(f"wake word detection takes {SPEECH_FORMAT}, not {chunk.format}")
        found: list[WakeDetection] = []
        for frame in self._chunker.push(chunk):
            for name, probability in self.engine.process(frame).items():
                state = self._states.get(name)
                if state is None:
                    continue
                state.recent.append(probability)
                if len(state.recent) < (state.recent.maxlen or 1):
                    continue
                mean = sum(state.recent) / len(state.recent)
                self.max_probability[name] = max(self.max_probability[name], mean)
                if mean > state.cutoff and frame.end_s >= state.quiet_until:
                    found.append(WakeDetection(name, state.phrase, mean, frame.end_s))
                    state.quiet_until = frame.end_s + state.settings.refractory_s
                    state.recent.clear()
        return found

    def reset(self) -> None:
        """Start a new stream: the engine's memory, the windows and the refractory clocks."""
        self.engine.reset()
        self._chunker = Rechunker(
            self.engine.capabilities.audio_format, self.engine.capabilities.frame_ms
        )
        for state in self._states.values():
            state.recent.clear()
            state.quiet_until = float("-inf")
        self.max_probability = dict.fromkeys(self._states, 0.0)
