"""The text-to-speech protocol: an engine declares what it can say and streams audio.

    engine = PiperEngine(resolver)                 # any TtsEngine
    engine.capabilities.languages                  # ("en",)
    async for chunk in engine.synthesize("Hello.", "en"):
        play(chunk)                                # AudioChunks in the engine's own format

Engines are thin: they load their model lazily (``load`` or the first ``synthesize``), never
block the event loop, and raise ``EngineError`` with a message that names the fix when their
model or program is missing. The policy — cutting a reply into clauses, choosing an engine per
language span, falling back, resampling to one output format — lives in ``ting.tts.speaker``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from ting.audio import AudioChunk


@dataclass(frozen=True)
class TtsVoice:
    name: str
    """Engine-specific voice name, e.g. "zf_xiaoxiao"."""
    language: str
    """Language code ("en", "zh")."""
    gender: str = ""
    """"female", "male" or "" when unknown."""


@dataclass(frozen=True)
class TtsCapabilities:
    languages: tuple[str, ...]
    """Language codes the engine speaks ("en", "zh")."""
    voices: tuple[TtsVoice, ...]
    """Every voice; the first one of a language is that language's default."""
    sample_rate: int
    """Hz of the mono float32 chunks ``synthesize`` yields."""
    streaming: bool
    """Yields audio in several pieces for one text (before the whole text is synthesized)."""
    embedded_latin: bool = False
    """Reads a short Latin-script word inside its other languages ("pasta" in Chinese)."""

    def default_voice(self, language: str) -> str | None:
        for voice in self.voices:
            if voice.language == language:
                return voice.name
        return None

    def has_voice(self, name: str, language: str) -> bool:
        return any(v.name == name and v.language == language for v in self.voices)


class TtsEngine(Protocol):
    name: str
    """Short engine name for logs and run events ("piper", "kokoro", "espeak-ng")."""
    capabilities: TtsCapabilities

    async def load(self) -> None:
        """Load the model now (it loads on first use otherwise); ``EngineError`` when missing."""
        ...

    def synthesize(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        """Audio for ``text`` (already normalized, one clause or a few) as it is made: mono
        float32 chunks at ``capabilities.sample_rate``; ``start_s`` counts from this text's
        start. ``voice`` None: the language's default voice."""
        ...

    async def aclose(self) -> None: ...
