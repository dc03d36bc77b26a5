"""Intelligibility: what the voices say, transcribed back by faster-whisper (tolerant bounds).

English: Piper (joe) → whisper tiny.en; Mandarin: Kokoro (zf_xiaoxiao) → whisper base. The
Speaker renders at 16 kHz so the audio goes straight to speech recognition. Skips with a reason
when an engine, a model package or the shared voices are absent.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ting.audio import AudioChunk
from ting.errors import ConfigError, EngineError
from ting.models import ModelResolver, ModelSettings
from ting.models.resolver import BUNDLED_VOICES
from ting.stt import FasterWhisperEngine, SttOptions
from ting.tts import KokoroEngine, PiperEngine, Speaker, TtsSettings

VOICES = BUNDLED_VOICES  # the Mandarin voices ship in the package

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(importlib.util.find_spec(m) is None for m in ("faster_whisper", "piper", "misaki")),
        reason="needs faster-whisper, piper-tts and misaki[zh]",
    ),
]


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> ModelResolver:
    if not VOICES.is_dir():
        pytest.skip(f"{VOICES} is absent (shared data)")
    cache = os.environ.get("TING_MODEL_CACHE")
    return ModelResolver(
        ModelSettings(
            cache_dir=Path(cache) if cache else tmp_path_factory.mktemp("models"),
            voices_dir=VOICES,
            download=False,
        )
    )


@pytest.fixture(scope="module")
def whisper(resolver: ModelResolver) -> Iterator[FasterWhisperEngine]:
    engine = FasterWhisperEngine(resolver)
    try:
        asyncio.run(engine.load())
    except ConfigError as error:
        pytest.skip(str(error))
    yield engine
    asyncio.run(engine.aclose())


async def say(resolver: ModelResolver, text: str, language: str) -> AudioChunk:
    engine = PiperEngine(resolver) if language == "en" else KokoroEngine(resolver)
    speaker = Speaker({language: (engine,)}, TtsSettings(output_rate=16_000))
    try:
        return await speaker.synthesize(text, language)
    except EngineError as error:
        pytest.skip(str(error))


async def test_english_reply_is_understood(
    resolver: ModelResolver, whisper: FasterWhisperEngine
) -> None:
    reference = "your timer is set for ten minutes starting now"
    audio = await say(resolver, "Your timer is set for ten minutes, starting now.", "en")
    transcript = await whisper.transcribe(audio, SttOptions(language="en"))
    heard = re.sub(r"[^a-z0-9 ]", "", transcript.text.lower().replace("10", "ten")).split()
    assert edit_distance(heard, reference.split()) / len(reference.split()) <= 0.25, heard


async def test_mandarin_reply_is_understood(
    resolver: ModelResolver, whisper: FasterWhisperEngine
) -> None:
    reference = "计时器设定为十分钟"
    audio = await say(resolver, "计时器设定为10分钟。", "zh")
    transcript = await whisper.transcribe(audio, SttOptions(language="zh"))
    heard = [c for c in transcript.text.replace("10", "十") if "\u4e00" <= c <= "\u9fff"]
    assert edit_distance(heard, list(reference)) / len(reference) <= 0.25, transcript.text
