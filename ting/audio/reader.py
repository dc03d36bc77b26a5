"""Reading audio files: WAV (own reader, stdlib + numpy) and FLAC/OGG/other (soundfile).

The file type is decided by its first bytes, never by its name. Everything a file can do wrong
(empty, not audio, a broken header, a codec we cannot read, a decode error half-way) is an
``InputError`` whose message names the file and the problem.

Memory policy: :func:`stream_audio` yields blocks (0.1 s by default) and never holds the file,
so a 10-minute recording streams through wake/VAD in bounded memory. :func:`read_audio` returns a
whole utterance and refuses files longer than ``max_s`` (default :data:`MAX_READ_S`) before
reading them; the STT engine itself takes at most 30 s per utterance (whisper's window) and the
segmenter ends longer turns.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import numpy as np

from ting.audio.format import SPEECH_FORMAT, AudioChunk, AudioFormat, Samples, to_mono
from ting.audio.resample import Resampler
from ting.audio.wav import WavReader, is_wav, parse_header
from ting.errors import InputError

_LOGGER = logging.getLogger(__name__)

MAX_READ_S = 60.0
"""Seconds; the longest file :func:`read_audio` loads whole."""


@dataclass(frozen=True)
class AudioInfo:
    format: AudioFormat
    """The file's own rate and channels."""
    frames: int
    """Frames in the file (for a truncated WAV: those actually present)."""
    codec: str
    """"wav-pcm16", "wav-float32", "flac", ..."""
    truncated: bool = False
    """The header claimed more audio than the file holds."""

    @property
    def duration_s(self) -> float:
        return self.frames / self.format.sample_rate


class AudioFile:
    """An open audio file that yields float32 ``(frames, channels)`` blocks in its own format."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._stack = contextlib.ExitStack()
        try:
            self.info, self._read = self._open()
        except BaseException:
            self._stack.close()
            raise

    def _open(self) -> tuple[AudioInfo, Any]:
        name = self.path.name
        try:
            handle: BinaryIO = self._stack.enter_context(self.path.open("rb"))
            size = self.path.stat().st_size
        except IsADirectoryError:
            raise InputError(f"{self.path} is a directory, not an audio file") from None
        except OSError as error:
            raise InputError(f"cannot open {self.path}: {error.strerror or error}") from None
        if size == 0:
            raise InputError(f"{name} is empty")
        head = handle.read(12)
        if is_wav(head):
            header = parse_header(handle, size, name)
            if header is not None:
                if header.truncated:
                    _LOGGER.warning("%s: header claims more audio than the file holds", name)
                kind = "float" if header.is_float else "pcm"
                info = AudioInfo(
                    AudioFormat(header.sample_rate, header.channels),
                    header.frames,
                    f"wav-{kind}{header.bits}",
                    header.truncated,
                )
                return info, WavReader(self.path, handle, header).read
        return self._open_soundfile(name)

    def _open_soundfile(self, name: str) -> tuple[AudioInfo, Any]:
        if importlib.util.find_spec("soundfile") is None:
            raise InputError(
                f"{name}: only PCM WAV can be read without soundfile "
                "(pip install soundfile, or 'ting[audio]')"
            )
        import soundfile

        try:
            sound = self._stack.enter_context(soundfile.SoundFile(str(self.path)))
        except (RuntimeError, ValueError, TypeError) as error:
            raise InputError(f"{name} is not an audio file Ting can read ({error})") from None
        if sound.frames <= 0:
            raise InputError(f"{name} holds no audio")
        info = AudioInfo(
            AudioFormat(int(sound.samplerate), int(sound.channels)),
            int(sound.frames),
            str(sound.format).lower(),
        )

        def read(frames: int) -> Samples:
            try:
                block = sound.read(frames, dtype="float32", always_2d=True)
            except (RuntimeError, ValueError) as error:
                raise InputError(f"{name}: audio is damaged ({error})") from None
            return np.asarray(block, dtype=np.float32)

        return info, read

    def blocks(self, frames: int) -> Iterator[Samples]:
        """Blocks of up to ``frames`` frames until the end of the file."""
        while True:
            block = self._read(frames)
            if block.shape[0] == 0:
                return
            yield block

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> AudioFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def audio_info(path: str | Path) -> AudioInfo:
    with AudioFile(path) as audio:
        return audio.info


def stream_audio(
    path: str | Path, *, block_s: float = 0.1, target: AudioFormat = SPEECH_FORMAT
) -> Iterator[AudioChunk]:
    """The file as chunks of about ``block_s`` seconds in ``target`` (mono only), streamed."""
    if target.channels != 1:
        raise ValueError("stream_audio converts to mono")
    with AudioFile(path) as audio:
        source = audio.info.format
        resampler = Resampler(source.sample_rate, target.sample_rate)
        produced = 0
        for block in audio.blocks(max(1, source.frames(block_s))):
            out = resampler.process(to_mono(np.clip(block, -1.0, 1.0)))
            if out.size:
                yield AudioChunk(out, target, produced / target.sample_rate)
                produced += out.size
        tail = resampler.process(np.zeros(0, np.float32), last=True)
        if tail.size:
            yield AudioChunk(tail, target, produced / target.sample_rate)


def read_audio(
    path: str | Path, *, target: AudioFormat = SPEECH_FORMAT, max_s: float = MAX_READ_S
) -> AudioChunk:
    """A whole (short) file in ``target``; longer than ``max_s`` seconds is an InputError."""
    info = audio_info(path)
    if info.duration_s > max_s:
        raise InputError(
            f"{Path(path).name} is {info.duration_s:.0f} s long; one utterance is at most "
            f"{max_s:.0f} s (stream longer recordings)"
        )
    chunks = [chunk.samples for chunk in stream_audio(path, block_s=1.0, target=target)]
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return AudioChunk(samples, target, 0.0)
