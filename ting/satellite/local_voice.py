"""The satellite's own sounds: earcon tones (numpy) and short phrases spoken by ``espeak-ng``
when it is installed. Used only when the hub cannot speak: offline alarms and "I can't reach
the hub". (``ting.tts`` is not reused: importing it loads the Piper and Kokoro engine modules.)
"""

from __future__ import annotations

import asyncio
import io
import logging
import shutil

import numpy as np

from ting.audio import Samples, resample, to_mono
from ting.audio.wav import decode_pcm, parse_header
from ting.errors import InputError

_LOGGER = logging.getLogger(__name__)
RATE = 22_050
"""Hz of every local sound."""
VOICES = {"en": "en-us", "zh": "cmn"}
UNREACHABLE = {"en": "I can't reach the hub right now.", "zh": "我现在连不上中枢。"}


def tone(notes: list[tuple[float, float]], *, level: float = 0.3, gap_s: float = 0.06) -> Samples:
    """Sine notes ``(hz, seconds)`` with short fades and gaps between them."""
    pieces: list[Samples] = []
    for hz, seconds in notes:
        t = np.arange(int(seconds * RATE), dtype=np.float32) / RATE
        note = level * np.sin(2 * np.pi * hz * t, dtype=np.float32)
        fade = min(note.size // 2, int(0.01 * RATE))
        if fade:
            ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
            note[:fade] *= ramp
            note[-fade:] *= ramp[::-1]
        pieces += [note.astype(np.float32), np.zeros(int(gap_s * RATE), np.float32)]
    return np.concatenate(pieces).astype(np.float32)


def alarm_tone() -> Samples:
    """Three bright beeps, twice."""
    return tone([(880.0, 0.15)] * 3 + [(0.0, 0.25)] + [(880.0, 0.15)] * 3)


def unreachable_tone() -> Samples:
    """A falling two-note "no"."""
    return tone([(660.0, 0.18), (440.0, 0.3)])


class LocalVoice:
    def __init__(self, program: str = "espeak-ng", timeout_s: float = 10.0) -> None:
        self.program = shutil.which(program)
        self.timeout_s = timeout_s

    @property
    def available(self) -> bool:
        return self.program is not None

    async def speak(self, text: str, language: str) -> Samples | None:
        """``text`` at ``RATE``, or None when espeak-ng is missing or fails."""
        if self.program is None or not text.strip():
            return None
        voice = VOICES.get(language, VOICES["en"])
        try:
            process = await asyncio.create_subprocess_exec(
                self.program,
                "-v",
                voice,
                "-s",
                "160",
                "--stdout",
                "--",
                text,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )
        except OSError as error:
            _LOGGER.warning("espeak-ng did not start: %s", error)
            return None
        try:
            out, _ = await asyncio.wait_for(process.communicate(), self.timeout_s)
        except TimeoutError:
            process.kill()
            await process.wait()
            _LOGGER.warning("espeak-ng took too long")
            return None
        if process.returncode != 0:
            return None
        return _decode(out)

    async def phrase_or_tone(self, text: str, language: str, fallback: Samples) -> Samples:
        """The spoken phrase, or the earcon when it cannot be spoken."""
        spoken = await self.speak(text, language)
        return fallback if spoken is None else spoken


def _decode(wav: bytes) -> Samples | None:
    try:
        header = parse_header(io.BytesIO(wav), len(wav), "espeak-ng output")
    except InputError as error:
        _LOGGER.warning("espeak-ng wrote no usable audio: %s", error)
        return None
    if header is None:
        return None
    end = header.data_offset + header.frames * header.block_align
    samples = decode_pcm(wav[header.data_offset : end], header.bits, header.is_float)
    if header.channels > 1:
        samples = to_mono(samples.reshape(-1, header.channels))
    if header.sample_rate != RATE:
        samples = resample(samples, header.sample_rate, RATE)
    return samples.astype(np.float32)
