"""Both VAD engines on real speech, silence and noise; the frame contract."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk, stream_audio
from ting.errors import EngineError
from ting.vad import MicroVadEngine, SileroVadEngine, VadEngine, frames, silero_model_path

SHARED_AUDIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "audio"
AUDIO = SHARED_AUDIO if SHARED_AUDIO.is_dir() else Path(__file__).resolve().parents[1] / "clips"
RATE = SPEECH_FORMAT.sample_rate


def engines() -> list[object]:
    found: list[object] = []
    found.append(
        pytest.param(
            "micro",
            marks=pytest.mark.skipif(
                importlib.util.find_spec("pymicro_vad") is None, reason="pymicro-vad not installed"
            ),
        )
    )
    found.append(
        pytest.param(
            "silero",
            marks=pytest.mark.skipif(
                silero_model_path() is None or importlib.util.find_spec("onnxruntime") is None,
                reason="faster-whisper's Silero model or onnxruntime missing",
            ),
        )
    )
    return found


def make(name: str) -> VadEngine:
    return MicroVadEngine() if name == "micro" else SileroVadEngine()


def probabilities(engine: VadEngine, samples: np.ndarray) -> np.ndarray:
    chunk = AudioChunk(samples.astype(np.float32), SPEECH_FORMAT)
    return np.array([f.probability for f in frames(engine, [chunk])])


@pytest.mark.parametrize("name", engines())
def test_speech_scores_higher_than_silence_and_noise(name: str) -> None:
    path = AUDIO / "en_jfk.flac"
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared data)")
    engine = make(name)
    speech = np.concatenate([c.samples for c in stream_audio(path)])[: 4 * RATE]
    p_speech = probabilities(engine, speech)
    engine.reset()
    p_silence = probabilities(engine, np.zeros(2 * RATE, np.float32))
    engine.reset()
    noise = np.random.default_rng(0).normal(0, 0.05, 2 * RATE)
    p_noise = probabilities(engine, noise)
    assert ((p_speech >= 0) & (p_speech <= 1)).all()
    assert np.mean(p_speech > 0.5) > 0.25
    assert np.mean(p_silence > 0.5) == 0.0
    assert np.mean(p_noise > 0.5) < 0.2


@pytest.mark.parametrize("name", engines())
def test_frames_are_stamped_in_stream_time(name: str) -> None:
    engine = make(name)
    chunks = [
        AudioChunk(np.zeros(1000, np.float32), SPEECH_FORMAT, i * 1000 / RATE) for i in range(5)
    ]
    scored = list(frames(engine, chunks))
    step = engine.capabilities.frame_ms / 1000
    assert len(scored) == 5000 // int(step * RATE)
    assert scored[1].start_s == pytest.approx(step)
    assert all(f.end_s - f.start_s == pytest.approx(step) for f in scored)


def test_silero_refuses_wrong_frame_size() -> None:
    if silero_model_path() is None:
        pytest.skip("faster-whisper's Silero model is missing")
    with pytest.raises(EngineError):
        SileroVadEngine().probability(AudioChunk(np.zeros(100, np.float32), SPEECH_FORMAT))
