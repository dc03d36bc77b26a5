"""Audio in: formats and chunks, file reading, resampling and re-chunking.

Everything inside the hub is float32 in [-1, 1]; speech engines take 16 kHz mono
(:data:`SPEECH_FORMAT`). Bad files raise ``InputError`` with a message fit for a user.
"""

from ting.audio.chunker import Rechunker, rechunk
from ting.audio.format import (
    SPEECH_FORMAT,
    AudioChunk,
    AudioFormat,
    Samples,
    float_to_pcm16,
    rms_dbfs,
    to_mono,
)
from ting.audio.reader import MAX_READ_S, AudioFile, AudioInfo, audio_info, read_audio, stream_audio
from ting.audio.resample import Resampler, resample

__all__ = [
    "MAX_READ_S",
    "SPEECH_FORMAT",
    "AudioChunk",
    "AudioFile",
    "AudioFormat",
    "AudioInfo",
    "Rechunker",
    "Resampler",
    "Samples",
    "audio_info",
    "float_to_pcm16",
    "read_audio",
    "rechunk",
    "resample",
    "rms_dbfs",
    "stream_audio",
    "to_mono",
]
