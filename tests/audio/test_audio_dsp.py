"""Resampling (both back ends) and re-chunking."""

from __future__ import annotations

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat, Rechunker, Resampler, rechunk
from ting.audio.resample import soxr_available

BACKENDS = [
    "numpy",
    pytest.param(
        "soxr", marks=pytest.mark.skipif(not soxr_available(), reason="soxr is not installed")
    ),
]


def tone(seconds: float, rate: int, freq: float) -> np.ndarray:
    return np.sin(2 * np.pi * freq * np.arange(int(seconds * rate)) / rate).astype(np.float32)


def level_db(samples: np.ndarray) -> float:
    return 10 * float(np.log10(np.mean(samples.astype(np.float64) ** 2) + 1e-20))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_streamed_resampling_matches_the_ideal_tone(backend: str, rate: int) -> None:
    source = tone(1.0, rate, 1000.0)
    resampler = Resampler(rate, 16000, backend=backend)
    blocks = [resampler.process(block) for block in np.array_split(source, 7)]
    blocks.append(resampler.process(np.zeros(0, np.float32), last=True))
    out = np.concatenate(blocks)
    assert abs(out.size - 16000) <= 2
    ideal = tone(1.0, 16000, 1000.0)
    middle = slice(800, 15000)
    assert np.max(np.abs(out[middle] - ideal[middle])) < 0.02


@pytest.mark.parametrize("backend", BACKENDS)
def test_downsampling_removes_what_cannot_be_represented(backend: str) -> None:
    out = Resampler(48000, 16000, backend=backend).process(tone(1.0, 48000, 12000.0), last=True)
    assert level_db(out[1000:-1000]) < level_db(tone(1.0, 16000, 1000.0)) - 40


def test_rechunker_cuts_exact_frames_with_times() -> None:
    chunker = Rechunker(SPEECH_FORMAT, 30)
    frames = []
    start = 0.0
    for size in (100, 1000, 7, 2500, 333):
        chunk = AudioChunk(np.ones(size, np.float32), SPEECH_FORMAT, start)
        frames += chunker.push(chunk)
        start += size / 16000
    frames += chunker.flush()
    assert all(frame.frames == 480 for frame in frames)
    assert [round(frame.start_s, 4) for frame in frames[:3]] == [0.0, 0.03, 0.06]
    assert len(frames) == -(-3940 // 480)
    assert np.count_nonzero(frames[-1].samples) == 3940 - 480 * (len(frames) - 1)


def test_rechunk_without_padding_and_stereo() -> None:
    stereo = AudioFormat(48000, 2)
    chunks = [AudioChunk(np.zeros((1000, 2), np.float32), stereo, 0.0)]
    frames = list(rechunk(chunks, stereo, 10, pad=False))
    assert [frame.frames for frame in frames] == [480, 480]
    with pytest.raises(ValueError):
        Rechunker(AudioFormat(22050), 10.01)
