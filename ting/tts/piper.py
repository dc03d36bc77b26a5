"""Piper (``piper-tts``, VITS in ONNX Runtime) as a ``TtsEngine``: English with the joe voice.

Piper phonemizes with the espeak-ng library and data it ships in its wheel (no system
espeak-ng, no download) and yields one piece per sentence of the text it is given.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ting.audio import AudioChunk, AudioFormat
from ting.errors import ConfigError, EngineError
from ting.models import ModelResolver
from ting.tts.base import TtsCapabilities, TtsVoice

_LOGGER = logging.getLogger(__name__)

_JOE_MODEL = "piper-en_US-joe-medium"
_JOE_FILE = "en_US-joe-medium.onnx"


@dataclass(frozen=True)
class PiperSettings:
    model: str = _JOE_MODEL
    """Model name in the resolver's catalog."""
    onnx_file: str = _JOE_FILE
    """The voice's .onnx file inside the model folder (its .json sits beside it)."""
    voice: str = "joe"
    """Name the voice is known by in ``TtsCapabilities``."""
    sample_rate: int = 22_050
    """Hz; the voice's rate (checked against its .json on load)."""
    length_scale: float = 1.0
    """Speaking time multiplier; above 1 is slower."""
    threads: int = 2
    """ONNX Runtime intra-op threads."""


class PiperEngine:
    name = "piper"

    def __init__(self, resolver: ModelResolver, settings: PiperSettings | None = None) -> None:
        self.settings = settings or PiperSettings()
        self._resolver = resolver
        self._voice: Any = None
        self._lock = asyncio.Lock()
        self.capabilities = TtsCapabilities(
            languages=("en",),
            voices=(TtsVoice(self.settings.voice, "en", "male"),),
            sample_rate=self.settings.sample_rate,
            streaming=True,
        )

    async def load(self) -> None:
        async with self._lock:
            if self._voice is None:
                self._voice = await asyncio.to_thread(self._load)

    def _load(self) -> Any:
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig, SynthesisConfig
        except ImportError:
            raise EngineError("Piper is not installed: pip install piper-tts") from None
        try:
            folder = self._resolver.resolve(self.settings.model).folder
        except ConfigError as error:
            raise EngineError(f"Piper voice missing: {error}") from None
        model = folder / self.settings.onnx_file
        try:
            config = json.loads(model.with_name(model.name + ".json").read_text("utf-8"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.settings.threads
            options.inter_op_num_threads = 1
            # Idle ONNX Runtime threads spin by default: on 2 shared cores (wake word, STT)
            # that burns CPU the others need; measured 25-35 % less CPU per call without it.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"]
            )
            voice = PiperVoice(session=session, config=PiperConfig.from_dict(config))
        except Exception as error:  # onnxruntime raises its own types
            raise EngineError(f"cannot load Piper voice {folder}: {error}") from error
        if voice.config.sample_rate != self.settings.sample_rate:
            raise EngineError(
                f"Piper voice is {voice.config.sample_rate} Hz, settings say "
                f"{self.settings.sample_rate} Hz"
            )
        self._config = SynthesisConfig(length_scale=self.settings.length_scale)
        return voice

    async def synthesize(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        if language != "en":
            raise EngineError(f"Piper (joe) does not speak {language!r}")
        await self.load()
        fmt = AudioFormat(self.settings.sample_rate)
        pieces = iter(self._pieces(text))
        start = 0.0
        while True:
            samples = await asyncio.to_thread(next, pieces, None)
            if samples is None:
                return
            chunk = AudioChunk(samples, fmt, start)
            start = chunk.end_s
            yield chunk

    def _pieces(self, text: str) -> Iterator[np.ndarray]:
        try:
            for piece in self._voice.synthesize(text, syn_config=self._config):
                yield np.asarray(piece.audio_float_array, dtype=np.float32).reshape(-1)
        except Exception as error:
            raise EngineError(f"Piper failed on {text[:40]!r}: {error}", retryable=True) from error

    async def aclose(self) -> None:
        self._voice = None
