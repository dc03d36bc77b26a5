"""Piper and espeak-ng for real; voice files; missing models; the espeak-ng fallback.

Skips with a reason when piper-tts, its voice package or the espeak-ng program is absent.
Kokoro has its own file (test_tts_kokoro.py): it is the slow one.
"""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ting.audio import AudioChunk, rms_dbfs
from ting.errors import EngineError
from ting.models import ModelResolver, ModelSettings
from ting.models.resolver import BUNDLED_VOICES
from ting.tts import (
    EspeakEngine,
    EspeakSettings,
    KokoroEngine,
    PiperEngine,
    Speaker,
    TtsSettings,
    read_voice_style,
)

VOICES = BUNDLED_VOICES  # the Mandarin voices ship in the package

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)
needs_piper = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None, reason="piper-tts is not installed"
)


async def collect(engine: object, text: str, language: str) -> AudioChunk:
    chunks = [c async for c in engine.synthesize(text, language)]  # type: ignore[attr-defined]
    assert chunks, "no audio"
    assert all(c.format == chunks[0].format for c in chunks)
    return AudioChunk(np.concatenate([c.samples for c in chunks]), chunks[0].format)


def assert_speech(audio: AudioChunk, low_s: float, high_s: float) -> None:
    assert low_s <= audio.duration_s <= high_s, audio.duration_s
    assert rms_dbfs(audio.samples) > -35.0
    assert np.all(np.isfinite(audio.samples))
    assert float(np.max(np.abs(audio.samples))) <= 1.0


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> ModelResolver:
    return ModelResolver(
        ModelSettings(
            cache_dir=tmp_path_factory.mktemp("models"), voices_dir=VOICES, download=False
        )
    )


@pytest.fixture(scope="module")
def piper(resolver: ModelResolver) -> Iterator[PiperEngine]:
    engine = PiperEngine(resolver)
    try:
        asyncio.run(engine.load())
    except EngineError as error:
        pytest.skip(str(error))
    yield engine


@needs_piper
async def test_piper_speaks_english(piper: PiperEngine) -> None:
    assert piper.capabilities.languages == ("en",)
    assert piper.capabilities.sample_rate == 22_050
    audio = await collect(piper, "Your timer is set for ten minutes.", "en")
    assert audio.format.sample_rate == 22_050
    assert_speech(audio, 1.2, 4.5)


@needs_piper
async def test_piper_yields_one_piece_per_sentence(piper: PiperEngine) -> None:
    chunks = [c async for c in piper.synthesize("Hello there. Goodbye now.", "en")]
    assert len(chunks) == 2
    assert chunks[1].start_s == pytest.approx(chunks[0].end_s)
    with pytest.raises(EngineError, match="does not speak 'zh'"):
        await collect(piper, "你好", "zh")


@needs_piper
async def test_piper_reply_streams_clause_by_clause(piper: PiperEngine) -> None:
    speaker = Speaker({"en": (piper,)})
    reply = "Okay. I set a timer for ten minutes. I will tell you when the time is up."
    began = time.perf_counter()
    arrivals = []
    async for chunk in speaker.speak(reply, "en"):
        assert chunk.format.sample_rate == 22_050
        arrivals.append(time.perf_counter() - began)
    assert len(arrivals) == 3
    assert arrivals[0] < 0.6 * arrivals[-1], arrivals


@needs_espeak
@pytest.mark.parametrize(
    ("text", "language"),
    [("Your timer is set for ten minutes.", "en"), ("好的，pasta 计时器开始了。", "zh")],
)
async def test_espeak_speaks_both_languages(text: str, language: str) -> None:
    audio = await collect(EspeakEngine(), text, language)
    assert audio.format.sample_rate == 22_050
    assert_speech(audio, 1.0, 6.0)


@needs_espeak
async def test_espeak_takes_text_that_looks_like_options() -> None:
    audio = await collect(EspeakEngine(), "-5 degrees --help", "en")
    assert_speech(audio, 0.5, 4.0)


async def test_missing_models_are_clear_engine_errors(tmp_path: Path) -> None:
    empty = ModelResolver(
        ModelSettings(cache_dir=tmp_path, voices_dir=tmp_path / "none", download=False),
        catalog={},
    )
    with pytest.raises(EngineError, match="Kokoro model missing: unknown model"):
        await KokoroEngine(empty).load()
    with pytest.raises(EngineError, match="Piper voice missing"):
        await PiperEngine(empty).load()
    with pytest.raises(EngineError, match="apt-get install espeak-ng"):
        await EspeakEngine(EspeakSettings(program="espeak-ng-not-installed")).load()


@needs_espeak
async def test_espeak_takes_over_when_kokoro_is_missing(tmp_path: Path) -> None:
    no_voices = ModelResolver(
        ModelSettings(cache_dir=tmp_path, voices_dir=tmp_path / "none", download=False)
    )
    voice = Speaker(
        {"zh": (KokoroEngine(no_voices), EspeakEngine())}, TtsSettings(output_rate=16_000)
    )
    assert await voice.load() == {"zh": "espeak-ng"}
    audio = await voice.synthesize("好的，计时器开始了。", "zh")
    assert audio.format.sample_rate == 16_000
    assert_speech(audio, 1.0, 5.0)


def test_voice_style_reads_without_torch() -> None:
    path = VOICES / "zf_xiaoxiao.pt"
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared data)")
    table = read_voice_style(path)
    assert table.shape == (510, 256)
    assert table.dtype == np.float32
    assert 0.01 < float(np.abs(table).mean()) < 10


def test_broken_voice_files_are_engine_errors(tmp_path: Path) -> None:
    not_zip = tmp_path / "bad.pt"
    not_zip.write_bytes(b"not a zip")
    with pytest.raises(EngineError, match="cannot read Kokoro voice"):
        read_voice_style(not_zip)
    short = tmp_path / "short.pt"
    with zipfile.ZipFile(short, "w") as archive:
        archive.writestr("short/byteorder", "little")
        archive.writestr("short/data/0", np.zeros(100, "<f4").tobytes())
    with pytest.raises(EngineError, match="holds 100 floats, expected 130560"):
        read_voice_style(short)
