"""Audio sources: ``inbox:DIR`` and files feed real WAVs in real time, then silence."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path

import numpy as np
import soundfile
from satellite_hub import tone

from ting.audio import AudioChunk
from ting.satellite.audio_in import file_source, inbox_source, open_input


def _check_stream(chunks: list[AudioChunk], block: int) -> None:
    assert all(c.frames == block for c in chunks)
    starts = [c.start_s for c in chunks]
    assert np.allclose(np.diff(starts), block / 16_000)
    assert starts[0] == 0.0


async def test_inbox_feeds_a_dropped_wav_in_real_time(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    source = inbox_source(inbox, block_ms=40)
    chunks: list[AudioChunk] = []
    started = time.monotonic()
    async for chunk in source:
        chunks.append(chunk)
        if len(chunks) == 5:  # 0.2 s of silence, then a 0.5 s tone at 22.05 kHz arrives
            temp = tmp_path / "tone.wav"
            soundfile.write(temp, tone(0.5, rate=22_050), 22_050, subtype="PCM_16")
            temp.rename(inbox / "tone.wav")
        if len(chunks) == 30:
            break
    elapsed = time.monotonic() - started
    _check_stream(chunks, 640)
    assert 1.1 <= elapsed <= 1.6  # 30 × 40 ms, paced like a microphone
    levels = [float(np.sqrt(np.mean(c.samples**2))) for c in chunks]
    loud = [i for i, level in enumerate(levels) if level > 0.1]
    assert levels[:5] == [0.0] * 5
    assert 12 <= len(loud) <= 14  # 0.5 s of tone in 40 ms blocks
    assert loud == list(range(loud[0], loud[0] + len(loud)))
    assert all(level == 0.0 for level in levels[loud[-1] + 2 :])  # silence again
    assert not (inbox / "tone.wav").exists()
    await source.aclose()


async def test_file_then_silence(tmp_path: Path) -> None:
    path = tmp_path / "clip.flac"
    soundfile.write(path, tone(0.2), 16_000)
    source = open_input(str(path), 20)
    assert isinstance(source, AsyncGenerator)
    chunks = [chunk async for chunk, _ in zip_n(source, 20)]
    _check_stream(chunks, 320)
    assert all(np.abs(c.samples).max() > 0.1 for c in chunks[:10])
    assert all(np.abs(c.samples).max() == 0.0 for c in chunks[10:])


async def zip_n(
    source: AsyncGenerator[AudioChunk, None], n: int
) -> AsyncIterator[tuple[AudioChunk, int]]:
    count = 0
    async for chunk in source:
        yield chunk, count
        count += 1
        if count == n:
            await source.aclose()
            return


async def test_file_source_keeps_pace(tmp_path: Path) -> None:
    path = tmp_path / "clip.wav"
    soundfile.write(path, tone(0.3), 16_000, subtype="PCM_16")
    started = time.monotonic()
    count = 0
    async for _ in file_source(path, 40):
        count += 1
        if count == 15:
            break
    assert time.monotonic() - started >= 0.55
