"""espeak-ng as a ``TtsEngine``: the last fallback, robotic but always there.

Runs the ``espeak-ng`` program (Debian package ``espeak-ng``) once per text, WAV on its standard
output (22,050 Hz 16-bit mono; the header's sizes are placeholders, so the data runs to the end).
Mandarin uses the ``cmn-latn-pinyin`` voice — the plain ``cmn`` voice reads tone digits aloud on
Debian 12 — and a Chinese text's Latin words switch to the English voice through SSML.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ting.audio import AudioChunk, AudioFormat
from ting.audio.format import to_mono
from ting.audio.wav import decode_pcm, parse_header
from ting.errors import EngineError, InputError
from ting.tts.base import TtsCapabilities, TtsVoice

_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:\s+[A-Za-z][A-Za-z'’\-]*)*")


@dataclass(frozen=True)
class EspeakSettings:
    program: str = "espeak-ng"
    """Program name or path."""
    voices: Mapping[str, str] = field(
        default_factory=lambda: {"en": "en-us", "zh": "cmn-latn-pinyin"}
    )
    """espeak-ng voice per language."""
    words_per_minute: int = 165
    """Speaking rate, words per minute (espeak-ng's default is 175)."""
    timeout_s: float = 20.0
    """Seconds one synthesis may take before it is abandoned."""
    sample_rate: int = 22_050
    """Hz; what espeak-ng writes."""


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, settings: EspeakSettings | None = None) -> None:
        self.settings = settings or EspeakSettings()
        self._program: str | None = None
        self.capabilities = TtsCapabilities(
            languages=tuple(self.settings.voices),
            voices=tuple(TtsVoice(v, lang) for lang, v in self.settings.voices.items()),
            sample_rate=self.settings.sample_rate,
            streaming=False,
            embedded_latin=True,
        )

    async def load(self) -> None:
        if self._program is None:
            program = shutil.which(self.settings.program)
            if program is None:
                raise EngineError(
                    f"{self.settings.program} is not installed (apt-get install espeak-ng)"
                )
            self._program = program

    async def synthesize(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        if language not in self.settings.voices:
            raise EngineError(f"espeak-ng is not set up for {language!r}")
        await self.load()
        assert self._program is not None
        voice = voice or self.settings.voices[language]
        args = [self._program, "-v", voice, "-s", str(self.settings.words_per_minute), "--stdout"]
        if language != "en" and _LATIN_RE.search(text):
            args.append("-m")
            text = _ssml_with_english(text, self.settings.voices.get("en", "en-us"))
        wav = await self._run([*args, "--", text])
        yield _decode(wav, self.settings.sample_rate)

    async def _run(self, args: list[str]) -> bytes:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), self.settings.timeout_s)
        except BaseException:
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise
        if process.returncode != 0:
            message = err.decode("utf-8", "replace").strip()[:200]
            raise EngineError(f"espeak-ng failed ({process.returncode}): {message}")
        return out

    async def aclose(self) -> None:
        return None


def _ssml_with_english(text: str, english_voice: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in _LATIN_RE.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f'<voice name="{english_voice}">{escape(match.group())}</voice>')
        position = match.end()
    pieces.append(escape(text[position:]))
    return "<speak>" + "".join(pieces) + "</speak>"


def _decode(wav: bytes, expected_rate: int) -> AudioChunk:
    try:
        header = parse_header(io.BytesIO(wav), len(wav), "espeak-ng output")
    except InputError as error:
        raise EngineError(f"espeak-ng wrote no usable audio: {error}") from None
    if header is None or header.sample_rate != expected_rate:
        raise EngineError("espeak-ng wrote audio in an unexpected format")
    end = header.data_offset + header.frames * header.block_align
    samples = decode_pcm(wav[header.data_offset : end], header.bits, header.is_float)
    if header.channels > 1:
        samples = to_mono(samples.reshape(-1, header.channels))
    return AudioChunk(samples, AudioFormat(header.sample_rate))
