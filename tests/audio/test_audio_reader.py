"""Reading audio: every format Ting accepts, and every way a file can be broken."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from ting.audio import (
    SPEECH_FORMAT,
    AudioChunk,
    AudioFormat,
    audio_info,
    read_audio,
    stream_audio,
)
from ting.errors import InputError

SHARED_AUDIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "audio"


def tone(seconds: float, rate: int, freq: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write_pcm16(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def raw_wav(
    *,
    channels: int = 1,
    rate: int = 16000,
    bits: int = 16,
    code: int = 1,
    data: bytes = b"\0\0" * 100,
    data_size: int | None = None,
) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", code, channels, rate, (rate * block) & 0xFFFFFFFF, block, bits)
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * rate / samples.size)


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_any_common_rate_becomes_16k_mono(tmp_path: Path, rate: int) -> None:
    path = write_pcm16(tmp_path / "a.wav", tone(1.0, rate), rate)
    chunk = read_audio(path)
    assert chunk.format == SPEECH_FORMAT
    assert abs(chunk.frames - 16000) <= 2
    assert abs(dominant_hz(chunk.samples, 16000) - 440.0) < 3.0


def test_stereo_is_mixed_down(tmp_path: Path) -> None:
    left, right = tone(1.0, 48000, 440), tone(1.0, 48000, 440)
    frames = np.stack([left, right], axis=1).reshape(-1)
    path = write_pcm16(tmp_path / "s.wav", frames, 48000, channels=2)
    assert audio_info(path).format == AudioFormat(48000, 2)
    chunk = read_audio(path)
    assert chunk.samples.ndim == 1
    assert np.max(np.abs(chunk.samples)) == pytest.approx(0.5, abs=0.02)


def test_flac_24bit_and_float_wav(tmp_path: Path) -> None:
    soundfile = pytest.importorskip("soundfile")
    samples = tone(0.5, 44100)
    soundfile.write(tmp_path / "a.flac", samples, 44100, subtype="PCM_24")
    soundfile.write(tmp_path / "f.wav", samples, 44100, subtype="FLOAT")
    soundfile.write(tmp_path / "p24.wav", samples, 44100, subtype="PCM_24")
    for name in ("a.flac", "f.wav", "p24.wav"):
        chunk = read_audio(tmp_path / name)
        assert abs(chunk.frames - 8000) <= 2, name
        assert np.max(np.abs(chunk.samples)) == pytest.approx(0.5, abs=0.02)
    assert audio_info(tmp_path / "f.wav").codec == "wav-float32"


def test_clipping_is_read_and_bounded(tmp_path: Path) -> None:
    loud = np.clip(tone(0.5, 16000, amplitude=3.0), -1, 1)
    chunk = read_audio(write_pcm16(tmp_path / "c.wav", loud, 16000))
    assert np.max(np.abs(chunk.samples)) <= 1.0
    over = raw_wav(bits=32, code=3, data=np.array([2.0, -5.0, np.nan], "<f4").tobytes())
    (tmp_path / "over.wav").write_bytes(over)
    samples = read_audio(tmp_path / "over.wav").samples
    assert np.all(np.isfinite(samples)) and np.max(np.abs(samples)) <= 1.0


def test_silence_reads_as_zeros(tmp_path: Path) -> None:
    chunk = read_audio(write_pcm16(tmp_path / "z.wav", np.zeros(16000, np.float32), 16000))
    assert chunk.frames == 16000 and not np.any(chunk.samples)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, I am a text file, not audio at all\n" * 10, "not an audio file"),
        (raw_wav(channels=0), "0 channels"),
        (raw_wav(rate=1), "sample rate"),
        (raw_wav(rate=4_000_000_000 & 0xFFFFFFFF), "sample rate"),
        (raw_wav(bits=12), "12 bits"),
        (raw_wav(data=b""), "no audio"),
        (raw_wav()[:30], "format chunk"),
        (b"RIFF\x10\0\0\0WAVEdata\x04\0\0\0abcd", "before its format"),
    ],
)
def test_broken_files_are_input_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    if message == "not an audio file":
        pytest.importorskip("soundfile")
    with pytest.raises(InputError, match=message):
        read_audio(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open"):
        read_audio(tmp_path / "nope.wav")
    with pytest.raises(InputError, match="directory"):
        read_audio(tmp_path)


def test_lying_data_size_reads_what_is_there(tmp_path: Path) -> None:
    data = (tone(0.25, 16000) * 32767).astype("<i2").tobytes()
    path = tmp_path / "lie.wav"
    path.write_bytes(raw_wav(data=data, data_size=10_000_000))
    info = audio_info(path)
    assert info.truncated and info.frames == 4000
    assert read_audio(path).frames == 4000


def test_streaming_writer_sizes_mean_until_end_of_file(tmp_path: Path) -> None:
    data = (tone(0.25, 16000) * 32767).astype("<i2").tobytes()
    path = tmp_path / "pipe.wav"
    path.write_bytes(raw_wav(data=data, data_size=0xFFFFFFFF))
    info = audio_info(path)
    assert info.frames == 4000 and not info.truncated


def test_ten_minute_file_streams_but_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        block = (tone(10.0, 8000) * 32767).astype("<i2").tobytes()
        for _ in range(60):
            out.writeframes(block)
    assert audio_info(path).duration_s == pytest.approx(600.0)
    with pytest.raises(InputError, match="600 s long"):
        read_audio(path)
    total = 0
    largest = 0
    for chunk in stream_audio(path, block_s=1.0):
        total += chunk.frames
        largest = max(largest, chunk.frames)
    assert abs(total - 600 * 16000) <= 2
    assert largest <= 2 * 16000  # bounded: blocks, never the file


def test_chunks_check_their_shape() -> None:
    with pytest.raises(InputError):
        AudioChunk(np.zeros(10, np.float64), SPEECH_FORMAT)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        AudioChunk(np.zeros((10, 2), np.float32), SPEECH_FORMAT)
    with pytest.raises(InputError):
        AudioFormat(sample_rate=16000, channels=0)
    chunk = AudioChunk(tone(0.1, 16000), SPEECH_FORMAT, 1.0)
    again = AudioChunk.from_pcm16(chunk.to_pcm16(), SPEECH_FORMAT, 1.0)
    assert np.max(np.abs(again.samples - chunk.samples)) < 1e-3
    assert again.end_s == pytest.approx(1.1)


@pytest.mark.skipif(not SHARED_AUDIO.is_dir(), reason="shared/data/audio is absent")
def test_real_clips_read() -> None:
    for path in sorted(SHARED_AUDIO.iterdir()):
        if path.suffix == ".flac":
            pytest.importorskip("soundfile")
        chunk = read_audio(path)
        assert chunk.format == SPEECH_FORMAT and 3.0 < chunk.duration_s < 12.0, path.name
        assert 0.01 < float(np.max(np.abs(chunk.samples))) <= 1.0
