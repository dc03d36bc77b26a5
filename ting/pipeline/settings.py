"""Settings of the voice pipeline, one frozen dataclass, units in every docstring."""

from __future__ import annotations

from dataclasses import dataclass, field

from ting.vad.segmenter import SegmenterSettings

STOP_WORDS = (
    "stop",
    "stop it",
    "cancel",
    "quiet",
    "be quiet",
    "shut up",
    "enough",
    "never mind",
    "停",
    "停止",
    "停下",
    "别说了",
    "安静",
    "闭嘴",
    "够了",
    "取消",
)


@dataclass(frozen=True)
class PipelineSettings:
    segmenter: SegmenterSettings = field(default_factory=SegmenterSettings)
    """Where commands start and end (thresholds, silences, pre-roll, maximum length)."""
    semantic_endpointing: bool = True
    """Shorten the end silence after a complete command, lengthen it after unfinished words."""
    wake_tail_s: float = 0.5
    """Seconds after a wake word detection during which speech is taken as the end of the wake
    phrase (until the first silent frame), not as the command."""
    command_timeout_s: float = 6.0
    """Seconds after the wake word to wait for the command to begin."""
    follow_up_s: float = 5.0
    """Seconds after Ting asked a question to wait for the answer without the wake word."""
    barge_in: bool = True
    """A wake word or a stop word while Ting speaks stops the reply at once."""
    stop_words: tuple[str, ...] = STOP_WORDS
    """Utterances (whole, case and punctuation ignored) that stop Ting speaking."""
    max_stop_s: float = 1.5
    """Seconds; speech longer than this while Ting speaks is not checked for a stop word."""
    stt_language: str | None = None
    """Force the recognition language ("en", "zh"); None: decided per utterance."""
    device_id: str = "voice"
    """Scope of the conversation this pipeline speaks for."""
