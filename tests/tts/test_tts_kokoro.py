"""Kokoro-82M (int8 ONNX) with the shared Mandarin voices and the misaki front end, for real.

Skips with a reason when onnxruntime, misaki, the model packages or the voices are absent.
The model cache is ``TING_MODEL_CACHE`` when set (keeps the joined model between runs).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ting.audio import rms_dbfs
from ting.errors import EngineError
from ting.models import ModelResolver, ModelSettings
from ting.models.resolver import BUNDLED_VOICES
from ting.tts import KokoroEngine

VOICES = BUNDLED_VOICES  # the Mandarin voices ship in the package

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("misaki") is None
        or importlib.util.find_spec("onnxruntime") is None,
        reason='Kokoro needs onnxruntime and misaki[zh] (pip install "misaki[zh]")',
    ),
]


@pytest.fixture(scope="module")
def kokoro(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KokoroEngine]:
    if not VOICES.is_dir():
        pytest.skip(f"{VOICES} is absent (shared data)")
    cache = os.environ.get("TING_MODEL_CACHE")
    resolver = ModelResolver(
        ModelSettings(
            cache_dir=Path(cache) if cache else tmp_path_factory.mktemp("models"),
            voices_dir=VOICES,
            download=False,
        )
    )
    engine = KokoroEngine(resolver)
    try:
        asyncio.run(engine.load())
    except EngineError as error:
        pytest.skip(str(error))
    yield engine


async def test_kokoro_speaks_mandarin_in_both_voices(kokoro: KokoroEngine) -> None:
    assert kokoro.capabilities.languages == ("zh",)
    assert [v.name for v in kokoro.capabilities.voices] == ["zf_xiaoxiao", "zm_yunjian"]
    takes = []
    for voice in ("zf_xiaoxiao", "zm_yunjian"):
        chunks = [c async for c in kokoro.synthesize("你好，我是听。", "zh", voice)]
        assert len(chunks) == 1
        audio = chunks[0]
        assert audio.format.sample_rate == 24_000
        assert 0.8 <= audio.duration_s <= 4.0, audio.duration_s
        assert rms_dbfs(audio.samples) > -35.0
        # The model's own ~0.4 s lead and 0.5-0.8 s tail of silence are trimmed.
        voiced = np.flatnonzero(np.abs(audio.samples) > 0.01)
        assert voiced[0] <= 0.06 * 24_000, voiced[0] / 24_000
        assert audio.samples.size - voiced[-1] <= 0.12 * 24_000
        takes.append(audio.samples)
    assert not np.array_equal(takes[0][:1000], takes[1][:1000])


async def test_kokoro_refuses_unknown_voice_and_language(kokoro: KokoroEngine) -> None:
    with pytest.raises(EngineError, match="no voice 'af_heart'"):
        _ = [c async for c in kokoro.synthesize("你好", "zh", "af_heart")]
    with pytest.raises(EngineError, match="does not speak 'en'"):
        _ = [c async for c in kokoro.synthesize("hello", "en")]


def test_numbers_are_read_as_chinese_words(kokoro: KokoroEngine) -> None:
    assert kokoro.phonemes("10点15分") == kokoro.phonemes("十点十五分")
    assert kokoro.phonemes("5分钟") == kokoro.phonemes("五分钟")
    assert kokoro.phonemes("2024年") == kokoro.phonemes("二零二四年")
    assert kokoro.phonemes("3.5%") == kokoro.phonemes("百分之三点五")


def test_every_phoneme_has_a_token(kokoro: KokoroEngine) -> None:
    text = "好的，计时器设定为十分钟。明天北京晴，最高气温二十五度！"
    ids = kokoro.phoneme_ids(text)
    assert len(ids) == len(kokoro.phonemes(text))
    assert 0 not in ids


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_english_word_inside_chinese_gets_english_phonemes(kokoro: KokoroEngine) -> None:
    phonemes = kokoro.phonemes("好的，pasta 计时器")
    assert "pˈɑstə" in phonemes
    assert phonemes.startswith("xau↓ tɤ,")
