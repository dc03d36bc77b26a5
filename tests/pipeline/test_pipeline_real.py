"""End to end with the real engines: audio in → wake → VAD → streaming STT → NLU → skill →
streaming TTS → audio out, on one real English clip, one real Mandarin clip, and a synthesized
command behind a synthesized wake word. Tolerant assertions (words, not exact transcripts).

Skips with a reason when a model, a package or the shared clips are missing. ``TING_MODEL_CACHE``
(speech models) and ``TING_MODELS_DIR`` (trained NLU) are reused when set; the NLU is trained on
a few skills only (time, timers, system) to keep the first run short.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import pytest_asyncio

from ting.assistant import Assistant
from ting.audio import read_audio
from ting.errors import ConfigError, EngineError
from ting.models import ModelResolver, ModelSettings
from ting.pipeline import VoiceSettings, VoiceStack, ask_audio, write_wav
from ting.settings import load_settings
from ting.skills.loader import discover_skill_classes

ROOT = Path(__file__).resolve().parents[3]
SHARED_AUDIO = ROOT / "shared" / "data" / "audio"
AUDIO = SHARED_AUDIO if SHARED_AUDIO.is_dir() else Path(__file__).resolve().parents[1] / "clips"
VOICES = ROOT / "shared" / "data" / "voices" / "kokoro-zh"
SKILLS = {"system", "time", "timers"}

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(600)]


def _cache(variable: str, name: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path(tempfile.gettempdir()) / name


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[VoiceStack]:
    data = tmp_path_factory.mktemp("voice")
    settings = load_settings(data_dir=data, timezone="UTC", seed=3)
    from dataclasses import replace

    settings = replace(settings, models_dir=_cache("TING_MODELS_DIR", "ting-test-nlu"))
    classes = [c for c in discover_skill_classes() if c.name in SKILLS]
    assistant = await Assistant.open(settings, skill_classes=classes)
    resolver = ModelResolver(
        ModelSettings(
            cache_dir=_cache("TING_MODEL_CACHE", "ting-test-models"),
            voices_dir=VOICES if VOICES.is_dir() else None,
            download=False,
        )
    )
    try:
        opened = await VoiceStack.open(assistant, resolver, VoiceSettings())
    except (ConfigError, EngineError) as error:
        await assistant.close()
        pytest.skip(f"voice models unavailable: {error}")
    yield opened
    await opened.aclose()
    await assistant.close()


def clip(name: str) -> Path:
    path = AUDIO / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared data)")
    return path


async def run(stack: VoiceStack, path: Path, out: Path):  # type: ignore[no-untyped-def]
    pipeline = stack.pipeline()
    try:
        return await ask_audio(pipeline, path, out)
    finally:
        await pipeline.aclose()


async def test_english_clip(stack: VoiceStack, tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    result = await run(stack, clip("en_jfk.flac"), out)
    turn = result.turns[0]
    # The speaker pauses after "Americans": a command endpointer ends the turn there.
    assert "fellow americans" in turn.text.lower(), turn.text
    assert turn.language == "en"
    assert turn.reply  # out of domain: Ting says it did not understand, in English
    assert read_audio(out).duration_s > 0.3


async def test_mandarin_clip(stack: VoiceStack, tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    result = await run(stack, clip("zh_aishell_BAC009S0724W0121.wav"), out)
    turn = result.turns[0]
    reference = "广州市房地产中介协会分析"
    hits = sum(ch in turn.text for ch in reference)
    assert hits >= len(reference) // 2, turn.text
    assert turn.language == "zh" and turn.reply
    assert read_audio(out).duration_s > 0.3


async def test_wake_word_then_command(stack: VoiceStack, tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    wake = tmp_path / "wake.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wake), "okay nabu"], check=True
    )
    command = await stack.speaker.synthesize("What time is it?", "en")
    from ting.audio import resample

    gap = np.zeros(8000, np.float32)
    samples = np.concatenate(
        [
            gap,
            read_audio(wake).samples,
            gap,
            resample(command.samples, command.format.sample_rate, 16_000),
            gap,
            gap,
        ]
    )
    path = tmp_path / "ask.wav"
    write_wav(path, samples, 16_000)
    out = tmp_path / "reply.wav"
    result = await run(stack, path, out)
    turn = result.turns[0]
    assert turn.wake is not None and turn.wake.model == "okay_nabu"
    assert "time" in turn.text.lower()
    assert turn.result is not None and turn.result.intent is not None
    assert "time" in turn.result.intent.lower()
    assert turn.endpoint in ("complete", "silence", "end-of-input")
    assert read_audio(out).duration_s > 0.5
    await asyncio.sleep(0)
