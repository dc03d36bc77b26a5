"""The TTS policy: what engines say, in what order, and in which format.

``Speaker.speak(text, language)`` streams a reply as output-format chunks:

1. refuse text that is too long or has nothing to say (``InputError``), normalize the rest
   (``ting.tts.text``);
2. cut it into clauses and synthesize them one after another, up to ``prefetch_clauses`` ahead
   of the listener, so the first clause plays while the next ones are made;
3. inside a clause, give each language span to the first engine of that language's chain that
   loads (Kokoro → espeak-ng for Mandarin, Piper → espeak-ng for English by default); an engine
   that fails to load is skipped from then on, one that fails on a span before any audio came
   out gets the span handed to the next engine;
4. resample everything to ``output_rate`` mono and put a short pause after each clause;
5. keep the audio of short spans ("好的，", "Okay,") in a small cache: replies often open the
   same way, and the first clause is the one the listener waits for.

Barge-in: closing the iterator (or cancelling its consumer) cancels the synthesis ahead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ting.audio import AudioChunk, AudioFormat, Resampler
from ting.errors import EngineError, InputError, LanguageError
from ting.models import ModelResolver
from ting.tts.base import TtsEngine
from ting.tts.text import (
    Clause,
    Span,
    normalize_for_speech,
    split_clauses,
    split_language_spans,
    weight,
)

_LOGGER = logging.getLogger(__name__)
_CACHED_WEIGHT = 16


@dataclass(frozen=True)
class TtsSettings:
    output_rate: int = 22_050
    """Hz of every chunk ``speak`` yields (mono float32). Piper and espeak-ng are 22,050 Hz
    natively; Kokoro's 24 kHz is resampled."""
    voices: Mapping[str, str] = field(default_factory=dict)
    """Voice per language ("zh" → "zm_yunjian"); missing: the engine's default voice."""
    max_chars: int = 5_000
    """Characters; a longer text is refused (a runaway reply, not something to read out)."""
    min_clause: int = 16
    """Weight units (a letter or digit 1, a Han character 2) before a comma may end a clause."""
    min_first_clause: int = 4
    """Likewise for the first clause, kept short so the first audio leaves early ("Okay,"
    and "好的，" are clauses of their own; "Hi," is not)."""
    max_clause: int = 180
    """Weight units past which a clause is cut at a space."""
    sentence_pause_s: float = 0.15
    """Seconds of silence after a sentence."""
    clause_pause_s: float = 0.05
    """Seconds of silence after a clause that ends at a comma."""
    max_embedded_words: int = 3
    """A Latin run of at most this many words inside Chinese is read by the Chinese voice
    (when its engine can); 0 always switches to the English voice."""
    prefetch_clauses: int = 2
    """Clauses synthesized ahead of the listener (1: strictly one after another)."""
    cache_clauses: int = 64
    """Short clauses (weight ≤ 16: "Okay,", "好的，", "Done.") kept as audio, most recent
    first, so the openers replies share start at once; 0 turns the cache off."""


@dataclass(frozen=True)
class _Failure:
    error: BaseException


class Speaker:
    """Streams replies through per-language engine chains; see the module docstring."""

    def __init__(
        self,
        engines: Mapping[str, Sequence[TtsEngine]],
        settings: TtsSettings | None = None,
    ) -> None:
        """``engines``: per language code, the engines to try in order."""
        self.settings = settings or TtsSettings()
        self.format = AudioFormat(self.settings.output_rate)
        self._chains = {language: tuple(chain) for language, chain in engines.items()}
        self._chosen: dict[str, TtsEngine] = {}
        self._failed: dict[int, str] = {}
        self._choose_lock = asyncio.Lock()
        self._cache: OrderedDict[tuple[str, str, str | None, str], np.ndarray] = OrderedDict()

    @classmethod
    def default(cls, resolver: ModelResolver, settings: TtsSettings | None = None) -> Speaker:
        """Piper → espeak-ng for English, Kokoro → espeak-ng for Mandarin (models load lazily)."""
        from ting.tts.espeak import EspeakEngine
        from ting.tts.kokoro import KokoroEngine
        from ting.tts.piper import PiperEngine

        espeak = EspeakEngine()
        return cls(
            {"en": (PiperEngine(resolver), espeak), "zh": (KokoroEngine(resolver), espeak)},
            settings,
        )

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._chains)

    async def load(self, languages: Sequence[str] | None = None) -> dict[str, str]:
        """Choose (and load) the engine of each language now; returns language → engine name."""
        chosen = {}
        for language in languages or self.languages:
            chosen[language] = (await self.engine_for(language)).name
        return chosen

    async def engine_for(self, language: str, *, after: TtsEngine | None = None) -> TtsEngine:
        """The first engine of ``language``'s chain that loads (past ``after`` when given)."""
        chain = self._chains.get(language)
        if chain is None:
            raise LanguageError(f"no voice for language {language!r}", language)
        async with self._choose_lock:
            if after is None and language in self._chosen:
                return self._chosen[language]
            start = chain.index(after) + 1 if after is not None else 0
            for engine in chain[start:]:
                if id(engine) in self._failed:
                    continue
                try:
                    await engine.load()
                except EngineError as error:
                    self._failed[id(engine)] = str(error)
                    _LOGGER.warning("TTS engine %s unavailable: %s", engine.name, error)
                    continue
                if after is None:
                    self._chosen[language] = engine
                return engine
        reasons = "; ".join(f"{e.name}: {self._failed.get(id(e), 'failed')}" for e in chain)
        raise EngineError(f"no text-to-speech engine can speak {language!r} ({reasons})")

    def plan(self, text: str, language: str) -> list[tuple[Clause, list[Span]]]:
        """The clauses of ``text`` and their language spans (no synthesis)."""
        if not isinstance(text, str):
            raise InputError("text to speak must be a string")
        if language not in self._chains:
            raise LanguageError(f"no voice for language {language!r}", language)
        if len(text) > self.settings.max_chars:
            raise InputError(
                f"text to speak is {len(text):,} characters; the limit is "
                f"{self.settings.max_chars:,}"
            )
        normalized = normalize_for_speech(text, language)
        if not normalized:
            raise InputError("nothing to say: the text has no letters, digits or Chinese")
        s = self.settings
        embed = s.max_embedded_words if self._embeds_latin(language) else 0
        return [
            (clause, split_language_spans(clause.text, language, max_embedded_words=embed))
            for clause in split_clauses(
                normalized,
                min_clause=s.min_clause,
                min_first_clause=s.min_first_clause,
                max_clause=s.max_clause,
            )
        ]

    async def speak(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncGenerator[AudioChunk, None]:
        """The reply as output-format chunks, clause by clause, as they are made. ``voice``
        overrides the settings' voice for ``language``. ``aclose()`` it to stop (barge-in)."""
        plan = self.plan(text, language)
        queue: asyncio.Queue[AudioChunk | _Failure | None] = asyncio.Queue(
            max(1, self.settings.prefetch_clauses)
        )
        producer = asyncio.create_task(self._produce(plan, language, voice, queue))
        start = 0.0
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, _Failure):
                    raise item.error
                chunk = AudioChunk(item.samples, self.format, start)
                start = chunk.end_s
                yield chunk
        finally:
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer

    async def synthesize(self, text: str, language: str, voice: str | None = None) -> AudioChunk:
        """The whole reply as one chunk."""
        parts = [chunk.samples async for chunk in self.speak(text, language, voice)]
        return AudioChunk(np.concatenate(parts), self.format)

    async def aclose(self) -> None:
        seen: set[int] = set()
        for chain in self._chains.values():
            for engine in chain:
                if id(engine) not in seen:
                    seen.add(id(engine))
                    await engine.aclose()

    async def _produce(
        self,
        plan: list[tuple[Clause, list[Span]]],
        language: str,
        voice: str | None,
        queue: asyncio.Queue[AudioChunk | _Failure | None],
    ) -> None:
        try:
            for index, (clause, spans) in enumerate(plan):
                pieces: list[np.ndarray] = []
                for span in spans:
                    wanted = voice if span.language == language else None
                    pieces.extend(await self._cached_span_audio(span, wanted))
                if index < len(plan) - 1:
                    pause = (
                        self.settings.sentence_pause_s
                        if clause.sentence_end
                        else self.settings.clause_pause_s
                    )
                    pieces.append(np.zeros(self.format.frames(pause), np.float32))
                if pieces:
                    await queue.put(AudioChunk(np.concatenate(pieces), self.format))
        except Exception as error:
            await queue.put(_Failure(error))
            return
        await queue.put(None)

    async def _cached_span_audio(self, span: Span, voice: str | None) -> list[np.ndarray]:
        limit = self.settings.cache_clauses
        if limit <= 0 or weight(span.text) > _CACHED_WEIGHT:
            return await self._span_audio(span, voice)
        engine = await self.engine_for(span.language)
        key = (engine.name, span.language, voice, span.text)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return [cached]
        audio = np.concatenate(await self._span_audio(span, voice))
        self._cache[key] = audio
        while len(self._cache) > limit:
            self._cache.popitem(last=False)
        return [audio]

    async def _span_audio(self, span: Span, voice: str | None) -> list[np.ndarray]:
        """Output-rate samples for one span, falling back along the chain on failure."""
        engine: TtsEngine | None = None
        while True:
            engine = await self.engine_for(span.language, after=engine)
            wanted = voice or self.settings.voices.get(span.language)
            caps = engine.capabilities
            chosen = wanted if wanted and caps.has_voice(wanted, span.language) else None
            resampler = Resampler(caps.sample_rate, self.settings.output_rate)
            out: list[np.ndarray] = []
            try:
                async for chunk in engine.synthesize(span.text, span.language, chosen):
                    out.append(resampler.process(chunk.samples))
            except EngineError as error:
                if out:
                    _LOGGER.warning("%s failed inside %r: %s", engine.name, span.text[:40], error)
                    return out
                _LOGGER.warning(
                    "%s failed on %r, trying the next engine: %s",
                    engine.name,
                    span.text[:40],
                    error,
                )
                continue
            out.append(resampler.process(np.zeros(0, np.float32), last=True))
            return out

    def _embeds_latin(self, language: str) -> bool:
        chosen = self._chosen.get(language)
        if chosen is not None:
            return chosen.capabilities.embedded_latin
        chain = self._chains.get(language, ())
        return bool(chain) and chain[0].capabilities.embedded_latin
