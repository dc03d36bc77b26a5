"""Audio formats and chunks: the one shape audio takes inside Ting.

Inside the hub audio is float32 in [-1, 1]; mono samples are a 1-D array, several channels a
``(frames, channels)`` array. Speech engines take :data:`SPEECH_FORMAT` (16 kHz mono); the core
converts to it (``ting.audio.resample``) and cuts it into engine frame sizes
(``ting.audio.chunker``). 16-bit PCM bytes are only for the wire and for engines that want them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ting.errors import InputError

Samples = npt.NDArray[np.float32]

MIN_SAMPLE_RATE = 4_000
"""Hz; below this a "sample rate" is a broken header, not audio."""
MAX_SAMPLE_RATE = 384_000
"""Hz; above this likewise."""
MAX_CHANNELS = 32


@dataclass(frozen=True)
class AudioFormat:
    """How samples are laid out; always float32 in [-1, 1] inside Ting."""

    sample_rate: int
    """Samples per second per channel, Hz."""
    channels: int = 1
    """Interleaved channels; 1 is mono."""

    def __post_init__(self) -> None:
        if not MIN_SAMPLE_RATE <= self.sample_rate <= MAX_SAMPLE_RATE:
            raise InputError(
                f"unsupported sample rate {self.sample_rate} Hz "
                f"(Ting takes {MIN_SAMPLE_RATE}–{MAX_SAMPLE_RATE} Hz)"
            )
        if not 1 <= self.channels <= MAX_CHANNELS:
            raise InputError(f"unsupported channel count {self.channels}")

    def frames(self, seconds: float) -> int:
        """Frames (samples per channel) in ``seconds``, rounded down."""
        return int(seconds * self.sample_rate)

    def seconds(self, frames: int) -> float:
        return frames / self.sample_rate


SPEECH_FORMAT = AudioFormat(sample_rate=16_000, channels=1)
"""What wake, VAD and STT engines take: 16 kHz mono float32."""


@dataclass(frozen=True, eq=False)
class AudioChunk:
    """A run of samples in one format, with its place in the stream.

    ``samples`` is float32, shape ``(frames,)`` for mono or ``(frames, channels)``.
    """

    samples: Samples
    format: AudioFormat
    start_s: float = 0.0
    """Seconds from the start of the stream to this chunk's first frame."""

    def __post_init__(self) -> None:
        data = self.samples
        if data.dtype != np.float32:
            raise InputError(f"audio samples must be float32, not {data.dtype}")
        expected_ndim = 1 if self.format.channels == 1 else 2
        if data.ndim != expected_ndim or (data.ndim == 2 and data.shape[1] != self.format.channels):
            raise InputError(
                f"samples of shape {data.shape} do not match {self.format.channels} channel(s)"
            )

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        return self.frames / self.format.sample_rate

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    def to_pcm16(self) -> bytes:
        """Little-endian 16-bit PCM, channels interleaved."""
        return float_to_pcm16(self.samples).tobytes()

    @classmethod
    def from_pcm16(cls, data: bytes, fmt: AudioFormat, start_s: float = 0.0) -> AudioChunk:
        """Read little-endian 16-bit interleaved PCM bytes."""
        frame_bytes = 2 * fmt.channels
        if len(data) % frame_bytes:
            raise InputError(f"{len(data)} bytes is not a whole number of 16-bit frames")
        ints = np.frombuffer(data, dtype="<i2")
        samples = (ints.astype(np.float32) / 32768.0).reshape(
            (-1,) if fmt.channels == 1 else (-1, fmt.channels)
        )
        return cls(samples, fmt, start_s)


def float_to_pcm16(samples: Samples) -> npt.NDArray[np.int16]:
    clipped = np.clip(samples, -1.0, 1.0)
    return np.round(clipped * 32767.0).astype("<i2")


def to_mono(samples: Samples) -> Samples:
    """Average the channels of a ``(frames, channels)`` array; mono passes through."""
    if samples.ndim == 1:
        return samples
    mixed: Samples = samples.mean(axis=1, dtype=np.float32)
    return mixed


def rms_dbfs(samples: Samples) -> float:
    """Root-mean-square level in dB relative to full scale; -inf dB is clamped to -120."""
    if samples.size == 0:
        return -120.0
    power = float(np.mean(np.square(samples, dtype=np.float64)))
    return max(-120.0, 10.0 * math.log10(power + 1e-12))
