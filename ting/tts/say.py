"""``ting say``: speak a text into a WAV file."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from ting.errors import InputError, LanguageError
from ting.lang.detect import detect_language
from ting.models import ModelResolver
from ting.tts.speaker import Speaker, TtsSettings


@dataclass(frozen=True)
class SayResult:
    path: Path
    language: str
    audio_s: float
    """Seconds of audio written."""
    first_audio_s: float
    """Seconds from the call to the first synthesized chunk."""
    total_s: float
    """Seconds from the call to the last chunk (model loading included)."""


async def say_to_file(
    text: str,
    out_path: Path,
    *,
    resolver: ModelResolver | None = None,
    language: str | None = None,
    voice: str | None = None,
    settings: TtsSettings | None = None,
    speaker: Speaker | None = None,
) -> SayResult:
    """Write ``text`` spoken to ``out_path`` (16-bit mono WAV at ``settings.output_rate``).

    ``language`` None: detected from the text ("en" or "zh"). Give a ``speaker`` to reuse loaded
    engines, else a ``resolver`` to build the default one. The file appears whole or not at all
    (written beside it, then renamed). Raises ``InputError`` (empty, unspeakable or too long
    text), ``LanguageError`` and ``EngineError`` (no engine could speak).
    """
    began = time.perf_counter()
    if speaker is None:
        if resolver is None:
            raise ValueError("say_to_file needs a speaker or a resolver")
        speaker = Speaker.default(resolver, settings)
    if language is None:
        if not isinstance(text, str) or not text.strip():
            raise InputError("nothing to say: the text is empty")
        language = detect_language(text).language
        if language == "und":
            language = "en"
    if language not in speaker.languages:
        raise LanguageError(f"Ting cannot speak {language!r} (it speaks en, zh)", language)
    out_path = Path(out_path)
    speaker.plan(text, language)  # refuse bad text before touching the file system
    try:
        handle, temporary = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.")
    except OSError as error:
        raise InputError(f"cannot write {out_path}: {error.strerror or error}") from None
    os.close(handle)
    first_audio_s = 0.0
    frames = 0
    try:
        with wave.open(temporary, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(speaker.format.sample_rate)
            async for chunk in speaker.speak(text, language, voice):
                if frames == 0:
                    first_audio_s = time.perf_counter() - began
                frames += chunk.frames
                wav.writeframes(chunk.to_pcm16())
        os.replace(temporary, out_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return SayResult(
        out_path,
        language,
        frames / speaker.format.sample_rate,
        first_audio_s,
        time.perf_counter() - began,
    )
