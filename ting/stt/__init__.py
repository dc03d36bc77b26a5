"""Speech to text: the protocol (``SttEngine`` → per-utterance ``SttStream`` → ``Transcript``),
an incremental stream for re-transcribing engines, and the faster-whisper engine.

Importing this package loads no model and no heavy library; faster-whisper is imported when the
first model loads.
"""

from ting.stt.base import (
    SttCapabilities,
    SttEngine,
    SttOptions,
    SttStream,
    SttTimings,
    Transcript,
)
from ting.stt.incremental import Hypothesis, IncrementalSettings, IncrementalStream
from ting.stt.text import to_simplified
from ting.stt.whisper import FasterWhisperEngine
from ting.stt.whisper_decoder import WhisperDecoder, WhisperSettings

__all__ = [
    "FasterWhisperEngine",
    "Hypothesis",
    "IncrementalSettings",
    "IncrementalStream",
    "SttCapabilities",
    "SttEngine",
    "SttOptions",
    "SttStream",
    "SttTimings",
    "Transcript",
    "WhisperDecoder",
    "WhisperSettings",
    "to_simplified",
]
