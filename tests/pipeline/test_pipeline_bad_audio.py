"""``ask_audio`` on bad input: every case ends with a clear result or an ``InputError`` whose
message says what is wrong, in bounded time. Real file reading, Silero VAD and the wake word
model; scripted recognition, assistant and voice (the engines have their own tests)."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import struct
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from ting.audio import read_audio, resample
from ting.errors import InputError
from ting.pipeline import Frontend, PipelineSettings, VoicePipeline, ask_audio
from ting.pipeline.testing import ScriptedAssistant, ScriptedStt, TimedVoice
from ting.vad import SileroVadEngine, silero_model_path
from ting.wake import MicroWakeEngine, WakeDetector

pytestmark = [
    pytest.mark.skipif(silero_model_path() is None, reason="Silero VAD (faster-whisper) missing"),
    pytest.mark.skipif(
        importlib.util.find_spec("pymicro_wakeword") is None, reason="pymicro-wakeword missing"
    ),
    pytest.mark.timeout(60),
]
RATE = 16_000
COMMAND = "what time is it"


@pytest.fixture(scope="module")
def wake_engine() -> MicroWakeEngine:
    return MicroWakeEngine(("okay_nabu",))


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """ "what time is it" at 16 kHz (espeak-ng), with silence around it."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    path = tmp_path_factory.mktemp("speech") / "command.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), COMMAND], check=True)
    gap = np.zeros(RATE // 2, np.float32)
    return np.concatenate([gap, read_audio(path).samples, gap, gap])


def pipeline(wake_engine: MicroWakeEngine) -> tuple[VoicePipeline, ScriptedAssistant]:
    assistant = ScriptedAssistant({COMMAND: ("It is noon.", None)})
    wake = WakeDetector(wake_engine)
    wake.reset()
    built = VoicePipeline(
        assistant=assistant,
        stt=ScriptedStt([COMMAND] * 5),
        voice=TimedVoice(delay_s=0.0),
        frontend=Frontend(SileroVadEngine(), wake),
        settings=PipelineSettings(),
    )
    return built, assistant


def write(path: Path, samples: np.ndarray, rate: int = RATE, channels: int = 1) -> Path:
    data = samples if channels == 1 else np.repeat(samples[:, None], channels, axis=1)
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


async def ask(wake_engine: MicroWakeEngine, path: Path, tmp_path: Path) -> tuple[object, Path]:
    built, _ = pipeline(wake_engine)
    out = tmp_path / "reply.wav"
    try:
        result = await asyncio.wait_for(ask_audio(built, path, out), 45)
    finally:
        await built.aclose()
    return result, out


async def test_silence(wake_engine: MicroWakeEngine, tmp_path: Path) -> None:
    result, out = await ask(wake_engine, write(tmp_path / "s.wav", np.zeros(3 * RATE)), tmp_path)
    assert not result.replied and "no speech" in result.message  # type: ignore[attr-defined]
    assert not out.exists()


async def test_pure_noise(wake_engine: MicroWakeEngine, tmp_path: Path) -> None:
    noise = np.random.default_rng(0).normal(0, 0.3, 3 * RATE)
    result, _ = await ask(wake_engine, write(tmp_path / "n.wav", noise), tmp_path)
    # White noise is not speech to Silero: no command (the recognizer's own noise guards are
    # tested with the engine).
    assert not result.replied  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("rate", "channels", "gain"),
    [(8_000, 1, 1.0), (44_100, 1, 1.0), (48_000, 2, 1.0), (16_000, 1, 20.0)],
    ids=["8k", "44k1", "48k-stereo", "clipped"],
)
async def test_formats_and_clipping(
    wake_engine: MicroWakeEngine,
    tmp_path: Path,
    spoken: np.ndarray,
    rate: int,
    channels: int,
    gain: float,
) -> None:
    samples = resample(spoken, RATE, rate) * gain
    path = write(tmp_path / "c.wav", samples, rate, channels)
    result, out = await ask(wake_engine, path, tmp_path)
    assert result.replied, result.message  # type: ignore[attr-defined]
    assert out.is_file() and read_audio(out).duration_s > 0.1


async def test_truncated_wav(
    wake_engine: MicroWakeEngine, tmp_path: Path, spoken: np.ndarray
) -> None:
    path = write(tmp_path / "t.wav", spoken)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])  # the header still claims the whole length
    result, _ = await ask(wake_engine, path, tmp_path)
    assert "shorter than its header" in result.message  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["rate", "channels", "bits"])
async def test_lying_header(wake_engine: MicroWakeEngine, tmp_path: Path, field: str) -> None:
    path = write(tmp_path / "l.wav", np.zeros(RATE))
    data = bytearray(path.read_bytes())
    offset, value = {"rate": (24, 1), "channels": (22, 0), "bits": (34, 13)}[field]
    struct.pack_into("<I" if field == "rate" else "<H", data, offset, value)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError):
        await ask(wake_engine, path, tmp_path)


async def test_empty_file(wake_engine: MicroWakeEngine, tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        await ask(wake_engine, path, tmp_path)


async def test_not_audio(wake_engine: MicroWakeEngine, tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("these are not the samples you are looking for\n" * 20)
    with pytest.raises(InputError, match="not an audio file"):
        await ask(wake_engine, path, tmp_path)


async def test_missing_file(wake_engine: MicroWakeEngine, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        await ask(wake_engine, tmp_path / "nowhere.wav", tmp_path)


async def test_ten_minute_file_stops_after_the_command(
    wake_engine: MicroWakeEngine, tmp_path: Path, spoken: np.ndarray
) -> None:
    long = np.zeros(600 * RATE, np.float32)
    long[: spoken.size] = spoken
    result, _ = await ask(wake_engine, write(tmp_path / "long.wav", long), tmp_path)
    assert result.replied and result.input_s == pytest.approx(600)  # type: ignore[attr-defined]
    assert result.elapsed_s < 30  # type: ignore[attr-defined]


async def test_long_silent_file_gives_up_early(
    wake_engine: MicroWakeEngine, tmp_path: Path
) -> None:
    long = np.zeros(600 * RATE, np.float32)
    built, _ = pipeline(wake_engine)
    try:
        result = await ask_audio(built, write(tmp_path / "q.wav", long), None, listen_s=5.0)
    finally:
        await built.aclose()
    assert not result.replied and result.elapsed_s < 20
