"""Wake word detection on synthesized phrases (espeak-ng, Piper's joe voice), the detection
policy (window, cutoff, refractory period) and engine errors."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk, read_audio, resample
from ting.errors import ConfigError, EngineError
from ting.wake import (
    MicroWakeEngine,
    WakeDetector,
    WakeModelSettings,
    WakeSettings,
    builtin_models,
)

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pymicro_wakeword") is None, reason="pymicro-wakeword not installed"
)
RATE = SPEECH_FORMAT.sample_rate


def espeak(text: str, folder: Path, voice: str = "en-us") -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    path = folder / f"{voice}-{text.replace(' ', '_')}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    return read_audio(path).samples


def piper(text: str, folder: Path) -> np.ndarray:
    from ting.models import ModelResolver, ModelSettings
    from ting.tts import PiperEngine, Speaker

    resolver = ModelResolver(ModelSettings(cache_dir=folder / "models", download=False))
    speaker = Speaker({"en": (PiperEngine(resolver),)})
    try:
        audio = asyncio.run(speaker.synthesize(text, "en"))
    except (EngineError, ConfigError) as error:
        pytest.skip(f"Piper joe voice unavailable: {error}")
    return resample(audio.samples, audio.format.sample_rate, RATE)


def padded(*parts: np.ndarray, gap_s: float = 0.5) -> AudioChunk:
    gap = np.zeros(int(gap_s * RATE), np.float32)
    pieces = [gap]
    for part in parts:
        pieces += [part.astype(np.float32), gap]
    return AudioChunk(np.concatenate(pieces), SPEECH_FORMAT)


def detect(detector: WakeDetector, audio: AudioChunk, block: int = 1600) -> list[str]:
    detector.reset()
    found = []
    for i in range(0, audio.frames, block):
        piece = AudioChunk(audio.samples[i : i + block], SPEECH_FORMAT, i / RATE)
        found += [d.model for d in detector.process(piece)]
    return found


@pytest.fixture(scope="module")
def engine() -> MicroWakeEngine:
    return MicroWakeEngine(builtin_models())


def test_builtin_models_are_all_there() -> None:
    assert {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"} <= set(builtin_models())


def test_okay_nabu_espeak(engine: MicroWakeEngine, tmp_path: Path) -> None:
    audio = padded(espeak("okay nabu", tmp_path))
    assert detect(WakeDetector(engine), audio) == ["okay_nabu"]


def test_hey_jarvis_piper(engine: MicroWakeEngine, tmp_path: Path) -> None:
    audio = padded(piper("Hey Jarvis.", tmp_path))
    assert detect(WakeDetector(engine), audio) == ["hey_jarvis"]


def test_only_the_chosen_models_fire(engine: MicroWakeEngine, tmp_path: Path) -> None:
    audio = padded(espeak("okay nabu", tmp_path))
    only_jarvis = WakeDetector(engine, WakeSettings((WakeModelSettings("hey_jarvis"),)))
    assert detect(only_jarvis, audio) == []


def test_silence_noise_and_other_speech_do_not_wake(
    engine: MicroWakeEngine, tmp_path: Path
) -> None:
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.1, 3 * RATE).astype(np.float32)
    speech = espeak("set a timer for five minutes and tell me the weather", tmp_path)
    audio = padded(np.zeros(RATE, np.float32), noise, speech)
    assert detect(WakeDetector(engine), audio) == []


def test_refractory_period(engine: MicroWakeEngine, tmp_path: Path) -> None:
    phrase = espeak("okay nabu", tmp_path)
    twice = padded(phrase, phrase, gap_s=0.6)
    long_quiet = WakeSettings((WakeModelSettings("okay_nabu", refractory_s=5.0),))
    short_quiet = WakeSettings((WakeModelSettings("okay_nabu", refractory_s=0.5),))
    assert detect(WakeDetector(engine, long_quiet), twice) == ["okay_nabu"]
    assert detect(WakeDetector(engine, short_quiet), twice) == ["okay_nabu", "okay_nabu"]


def test_sensitivity_cutoff(engine: MicroWakeEngine, tmp_path: Path) -> None:
    audio = padded(espeak("okay nabu", tmp_path))
    deaf = WakeSettings((WakeModelSettings("okay_nabu", cutoff=0.9999, window=20),))
    assert detect(WakeDetector(engine, deaf), audio) == []


def test_unknown_model_and_bad_settings(engine: MicroWakeEngine) -> None:
    with pytest.raises(ConfigError, match="unknown wake word model"):
        MicroWakeEngine(("okay_google",))
    with pytest.raises(ConfigError):
        WakeDetector(engine, WakeSettings((WakeModelSettings("okay_nabu", cutoff=1.5),)))
    single = MicroWakeEngine(("alexa",))
    with pytest.raises(ConfigError, match="not loaded"):
        WakeDetector(single, WakeSettings((WakeModelSettings("okay_nabu"),)))
