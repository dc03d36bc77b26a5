"""The segmenter: where an utterance starts and ends, from per-frame speech probabilities.

A pure state machine (no audio, no clock, no engine): the pipeline feeds it one
``(probability, start_s, end_s)`` frame at a time and gets at most one event back.

    WAITING ──speech ≥ min_speech_s──▶ SPEECH ──silence──▶ TRAILING ──enough silence──▶ DONE
       │                                 ▲                    │
       └── no_speech_timeout_s ─▶ DONE   └──── speech again ──┘

Hysteresis: a frame counts as speech at ``start_threshold`` or above, as silence below
``end_threshold``; in between it keeps the current state. "Enough silence" is not one fixed
wait (semantic endpointing): the pipeline tells the segmenter how complete the words so far are
(``set_completeness``, judged on a transcript that covers the speech up to some time):

- ``COMPLETE`` ("set a timer for five minutes") → ``complete_silence_s`` (short);
- ``INCOMPLETE`` ("set a timer for") → ``incomplete_silence_s`` (long);
- unknown, or a verdict on a transcript that does not cover the latest speech → ``end_silence_s``.

An utterance longer than ``max_utterance_s`` ends at once; ``finish`` ends the input.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ting.errors import ConfigError


class Completeness(enum.Enum):
    UNKNOWN = "unknown"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


class SegmenterState(enum.Enum):
    WAITING = "waiting"
    SPEECH = "speech"
    TRAILING = "trailing"
    DONE = "done"


@dataclass(frozen=True)
class SegmenterSettings:
    start_threshold: float = 0.5
    """Probability (0..1) at or above which a frame is speech."""
    end_threshold: float = 0.35
    """Probability (0..1) below which a frame is silence."""
    min_speech_s: float = 0.1
    """Seconds of speech frames (gaps shorter than one frame allowed) before speech starts."""
    end_silence_s: float = 0.6
    """Seconds of silence that end an utterance when nothing is known about its words."""
    complete_silence_s: float = 0.15
    """Seconds of silence that end an utterance whose words already make a complete command."""
    incomplete_silence_s: float = 1.2
    """Seconds of silence an utterance that is clearly unfinished may pause for."""
    pre_roll_s: float = 0.3
    """Seconds of audio before the detected start that belong to the utterance."""
    max_utterance_s: float = 15.0
    """Seconds; a longer utterance ends where it is."""
    no_speech_timeout_s: float | None = 8.0
    """Seconds of listening without speech before giving up; None waits for ever."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.end_threshold <= self.start_threshold <= 1.0:
            raise ConfigError("VAD thresholds need 0 ≤ end_threshold ≤ start_threshold ≤ 1")
        for name in (
            "min_speech_s",
            "end_silence_s",
            "complete_silence_s",
            "incomplete_silence_s",
            "pre_roll_s",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} cannot be negative")
        if self.max_utterance_s <= 0:
            raise ConfigError("max_utterance_s must be positive")

    def fixed(self, silence_s: float) -> SegmenterSettings:
        """These settings with one fixed end silence (no semantic endpointing)."""
        from dataclasses import replace

        return replace(
            self,
            end_silence_s=silence_s,
            complete_silence_s=silence_s,
            incomplete_silence_s=silence_s,
        )


@dataclass(frozen=True)
class SpeechStarted:
    start_s: float
    """Start of the first speech frame (the pipeline adds the pre-roll before it)."""
    at_s: float
    """End of the frame that made it sure (stream time)."""


@dataclass(frozen=True)
class SpeechEnded:
    start_s: float
    end_s: float
    """End of the last speech frame."""
    at_s: float
    """End of the frame at which the segmenter decided (stream time)."""
    reason: str
    """"silence", "complete", "incomplete" (the longer wait ran out), "max-length" or
    "end-of-input"."""


@dataclass(frozen=True)
class NoSpeech:
    at_s: float
    reason: str
    """"timeout" or "end-of-input"."""


SegmentEvent = SpeechStarted | SpeechEnded | NoSpeech


class Segmenter:
    def __init__(self, settings: SegmenterSettings | None = None, *, origin_s: float = 0.0):
        """``origin_s``: stream time when listening began (for the no-speech timeout)."""
        self.settings = settings or SegmenterSettings()
        self.state = SegmenterState.WAITING
        self._origin_s = origin_s
        self._run_start: float | None = None
        self._run_s = 0.0
        self.speech_start_s: float | None = None
        self.last_speech_end_s = 0.0
        self._verdict = Completeness.UNKNOWN
        self._verdict_covers_s = -1.0

    @property
    def completeness(self) -> Completeness:
        """The verdict that applies now: a stale one (older than the latest speech) is unknown."""
        if self._verdict_covers_s + 1e-6 >= self.last_speech_end_s:
            return self._verdict
        return Completeness.UNKNOWN

    def set_completeness(self, verdict: Completeness, covers_s: float) -> None:
        """How complete the words are, judged on a transcript of the audio up to ``covers_s``
        (stream time)."""
        self._verdict = verdict
        self._verdict_covers_s = covers_s

    def required_silence_s(self) -> float:
        s = self.settings
        match self.completeness:
            case Completeness.COMPLETE:
                return s.complete_silence_s
            case Completeness.INCOMPLETE:
                return s.incomplete_silence_s
            case _:
                return s.end_silence_s

    def process(self, probability: float, start_s: float, end_s: float) -> SegmentEvent | None:
        s = self.settings
        speech = probability >= s.start_threshold
        silence = probability < s.end_threshold
        match self.state:
            case SegmenterState.DONE:
                return None
            case SegmenterState.WAITING:
                if speech:
                    if self._run_start is None:
                        self._run_start = start_s
                        self._run_s = 0.0
                    self._run_s += end_s - start_s
                    if self._run_s >= s.min_speech_s - 1e-9:
                        self.state = SegmenterState.SPEECH
                        self.speech_start_s = self._run_start
                        self.last_speech_end_s = end_s
                        return SpeechStarted(self._run_start, end_s)
                elif silence:
                    self._run_start = None
                timeout = s.no_speech_timeout_s
                if timeout is not None and end_s - self._origin_s >= timeout - 1e-9:
                    self.state = SegmenterState.DONE
                    return NoSpeech(end_s, "timeout")
                return None
            case SegmenterState.SPEECH | SegmenterState.TRAILING:
                assert self.speech_start_s is not None
                if speech or (self.state is SegmenterState.SPEECH and not silence):
                    self.state = SegmenterState.SPEECH
                    self.last_speech_end_s = end_s
                else:
                    self.state = SegmenterState.TRAILING
                if end_s - self.speech_start_s >= s.max_utterance_s - 1e-9:
                    return self._end(end_s, "max-length")
                if self.state is SegmenterState.TRAILING:
                    return self.check_silence(end_s)
                return None

    def check_silence(self, now_s: float) -> SpeechEnded | None:
        """End the utterance if the silence since the last speech is long enough now (also
        called when a new verdict arrives between frames)."""
        if self.state is not SegmenterState.TRAILING:
            return None
        if now_s - self.last_speech_end_s >= self.required_silence_s() - 1e-9:
            reason = {
                Completeness.COMPLETE: "complete",
                Completeness.INCOMPLETE: "incomplete",
                Completeness.UNKNOWN: "silence",
            }[self.completeness]
            return self._end(now_s, reason)
        return None

    def finish(self, at_s: float) -> SpeechEnded | NoSpeech | None:
        """The input ended: close what is open."""
        match self.state:
            case SegmenterState.DONE:
                return None
            case SegmenterState.WAITING:
                self.state = SegmenterState.DONE
                return NoSpeech(at_s, "end-of-input")
            case _:
                return self._end(at_s, "end-of-input")

    def _end(self, at_s: float, reason: str) -> SpeechEnded:
        assert self.speech_start_s is not None
        self.state = SegmenterState.DONE
        return SpeechEnded(self.speech_start_s, self.last_speech_end_s, at_s, reason)
