"""The voice pipeline: audio in → wake → segment → STT → assistant → TTS → audio out, with run
events, semantic endpointing, barge-in and follow-up listening.

Importing this package loads no model: engines are built by ``VoiceStack`` (or handed in)."""

from ting.pipeline.ask import AskResult, ask_audio, print_ask
from ting.pipeline.audio_io import (
    AudioInput,
    AudioSink,
    CollectingSink,
    array_source,
    file_source,
    write_wav,
)
from ting.pipeline.endpointing import (
    CompletenessJudge,
    HeuristicJudge,
    NluJudge,
    NluJudgeSettings,
    ends_unfinished,
    ends_with_bare_number,
)
from ting.pipeline.events import SPEECH_EVENTS
from ting.pipeline.frontend import Frontend
from ting.pipeline.live import audio_devices, listen
from ting.pipeline.pipeline import TurnTimings, VoicePipeline, VoiceTurn, WakeMode
from ting.pipeline.settings import PipelineSettings
from ting.pipeline.stack import VoiceSettings, VoiceStack

__all__ = [
    "SPEECH_EVENTS",
    "AskResult",
    "AudioInput",
    "AudioSink",
    "CollectingSink",
    "CompletenessJudge",
    "Frontend",
    "HeuristicJudge",
    "NluJudge",
    "NluJudgeSettings",
    "PipelineSettings",
    "TurnTimings",
    "VoicePipeline",
    "VoiceSettings",
    "VoiceStack",
    "VoiceTurn",
    "WakeMode",
    "array_source",
    "ask_audio",
    "audio_devices",
    "ends_unfinished",
    "ends_with_bare_number",
    "file_source",
    "listen",
    "print_ask",
    "write_wav",
]
