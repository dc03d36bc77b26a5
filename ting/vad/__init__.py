"""Voice activity: the engine protocol (speech probability per frame), Silero and pymicro-vad
engines, and the segmenter the core owns. Importing this package loads no model."""

from ting.vad.base import VadCapabilities, VadEngine, VadFrame, VadScorer, frames
from ting.vad.micro import MicroVadEngine
from ting.vad.segmenter import (
    Completeness,
    NoSpeech,
    Segmenter,
    SegmenterSettings,
    SegmenterState,
    SegmentEvent,
    SpeechEnded,
    SpeechStarted,
)
from ting.vad.silero import SileroVadEngine, silero_model_path

__all__ = [
    "Completeness",
    "MicroVadEngine",
    "NoSpeech",
    "SegmentEvent",
    "Segmenter",
    "SegmenterSettings",
    "SegmenterState",
    "SileroVadEngine",
    "SpeechEnded",
    "SpeechStarted",
    "VadCapabilities",
    "VadEngine",
    "VadFrame",
    "VadScorer",
    "frames",
    "silero_model_path",
]
