"""faster-whisper (CTranslate2 int8) as an ``SttEngine``: tiny.en for English, multilingual base
for Mandarin and language identification, incremental passes while the user speaks.

Inference runs on one worker thread owned by the engine (a 2-core device gains nothing from two
concurrent decodes), final passes before partial ones (``ting.stt.passes``); the event loop only
awaits it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk
from ting.errors import InputError
from ting.models import ModelResolver
from ting.stt.base import SttCapabilities, SttOptions, Transcript
from ting.stt.incremental import Hypothesis, IncrementalSettings, IncrementalStream
from ting.stt.passes import PassQueue
from ting.stt.whisper_decoder import WhisperDecoder, WhisperSettings


class FasterWhisperEngine:
    def __init__(
        self,
        resolver: ModelResolver,
        settings: WhisperSettings | None = None,
        *,
        stream_settings: IncrementalSettings | None = None,
        vocabulary: Sequence[str] = (),
    ) -> None:
        self.settings = settings or WhisperSettings()
        self.stream_settings = stream_settings or IncrementalSettings()
        self.vocabulary = tuple(vocabulary)
        """Default terms to favour: the skills' vocabulary, most useful first."""
        self._decoder = WhisperDecoder(self.settings, resolver)
        self._passes: PassQueue[Hypothesis] = PassQueue()
        self.capabilities = SttCapabilities(
            languages=self._decoder.languages,
            streaming=True,
            partials=self.stream_settings.partials,
            language_id=len(self._decoder.languages) > 1,
            biasing=True,
            max_utterance_s=self.stream_settings.max_utterance_s,
        )

    async def load(self) -> None:
        """Load the models and run one short decode so the first utterance is not slower."""

        def warm() -> Hypothesis:
            self._decoder.load()
            noise = np.random.default_rng(0).normal(0, 0.05, 8000).astype(np.float32)
            return self._decoder.decode(noise)

        await self._offload(warm, final=True)

    def start(self, options: SttOptions | None = None) -> IncrementalStream:
        options = options or SttOptions()
        if options.language is not None and options.language not in self.capabilities.languages:
            raise InputError(f"speech recognition does not support {options.language!r}")
        vocabulary = self.vocabulary if options.vocabulary is None else options.vocabulary
        return IncrementalStream(
            self._decode, self._offload, self.stream_settings, options, vocabulary
        )

    async def transcribe(self, audio: AudioChunk, options: SttOptions | None = None) -> Transcript:
        if audio.format != SPEECH_FORMAT:
            raise InputError(f"speech recognition takes {SPEECH_FORMAT}, not {audio.format}")
        base = options or SttOptions()
        stream = IncrementalStream(
            self._decode,
            self._offload,
            IncrementalSettings(
                partials=False, max_utterance_s=self.stream_settings.max_utterance_s
            ),
            base,
            self.vocabulary if base.vocabulary is None else base.vocabulary,
        )
        await stream.push(audio)
        return await stream.finish()

    async def aclose(self) -> None:
        self._passes.close()

    def _decode(
        self, audio: np.ndarray, language: str | None, vocabulary: Sequence[str]
    ) -> Hypothesis:
        return self._decoder.decode(audio, language=language, vocabulary=vocabulary)

    async def _offload(self, work: Callable[[], Hypothesis], *, final: bool) -> Hypothesis:
        return await self._passes.run(work, final=final)
