"""The incremental stream with a fake decoder: passes while audio arrives, reuse at the end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat
from ting.errors import InputError
from ting.stt import Hypothesis, IncrementalSettings, IncrementalStream, SttOptions


class FakeDecoder:
    """Says how many seconds it was given; records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str | None, tuple[str, ...]]] = []

    def __call__(self, audio: np.ndarray, language: str | None, vocab: Sequence[str]) -> Hypothesis:
        self.calls.append((audio.size, language, tuple(vocab)))
        return Hypothesis(f"{audio.size / 16000:.1f}s", language or "en", 0.9, -0.1, 0.0, 0.01)


async def offload(work: Callable[[], Hypothesis], *, final: bool) -> Hypothesis:
    await asyncio.sleep(0)
    return work()


def speech(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


async def feed(stream: IncrementalStream, samples: np.ndarray, start: float = 0.0) -> None:
    for offset in range(0, samples.size, 1600):
        await stream.push(AudioChunk(samples[offset : offset + 1600], SPEECH_FORMAT, start))
        await asyncio.sleep(0)
        await asyncio.sleep(0)


def make(
    decoder: FakeDecoder, options: SttOptions | None = None, **settings: object
) -> IncrementalStream:
    return IncrementalStream(
        decoder,
        offload,
        IncrementalSettings(**settings),  # type: ignore[arg-type]
        options or SttOptions(),
        ("timer",),
    )


async def test_partials_while_speaking_and_reuse_after_silence() -> None:
    decoder = FakeDecoder()
    seen: list[str] = []
    stream = make(decoder, SttOptions(on_partial=seen.append))
    assert stream.covered_s is None
    await feed(stream, speech(2.0))
    assert stream.partial() != ""
    assert stream.covered_s == pytest.approx(float(stream.partial()[:-1]), abs=0.05)
    passes = len(decoder.calls)
    assert passes >= 3
    await feed(stream, np.zeros(12800, np.float32))
    transcript = await stream.finish()
    assert transcript.timings.final_reused
    assert 2.0 <= float(transcript.text[:-1]) < 2.8  # a pass that covered all the speech
    assert transcript.timings.audio_s == pytest.approx(2.8)
    assert seen and seen[-1] == transcript.text
    assert all(call[2] == ("timer",) for call in decoder.calls)


async def test_new_speech_at_the_end_gets_a_final_pass() -> None:
    decoder = FakeDecoder()
    stream = make(decoder, partial_interval_s=10.0)
    await feed(stream, speech(1.5))
    transcript = await stream.finish()
    assert not transcript.timings.final_reused
    assert transcript.text == "1.5s"
    assert transcript.timings.passes == 2


async def test_speech_end_hint_allows_reuse() -> None:
    decoder = FakeDecoder()
    stream = make(decoder, partial_interval_s=0.5)
    await feed(stream, speech(1.0))
    await asyncio.sleep(0.01)
    covered = decoder.calls[-1][0] / 16000
    await feed(stream, speech(0.3))
    transcript = await stream.finish(speech_end_s=covered)
    assert transcript.timings.final_reused


async def test_whole_utterance_without_partials_and_truncation() -> None:
    decoder = FakeDecoder()
    stream = make(decoder, partials=False, max_utterance_s=1.0)
    await feed(stream, speech(2.0))
    assert decoder.calls == []
    transcript = await stream.finish()
    assert transcript.truncated and transcript.text == "1.0s"
    assert len(decoder.calls) == 1


async def test_bad_use_is_an_input_error() -> None:
    stream = make(FakeDecoder())
    with pytest.raises(InputError, match="16000"):
        await stream.push(AudioChunk(np.zeros(480, np.float32), AudioFormat(48000)))
    await stream.finish()
    with pytest.raises(InputError):
        await stream.push(AudioChunk(np.zeros(160, np.float32), SPEECH_FORMAT))
    with pytest.raises(InputError):
        await stream.finish()


async def test_cancel_drops_the_utterance() -> None:
    stream = make(FakeDecoder())
    await feed(stream, speech(1.0))
    await stream.cancel()
    with pytest.raises(InputError):
        await stream.push(AudioChunk(np.zeros(160, np.float32), SPEECH_FORMAT))


async def test_a_pause_starts_a_pass_without_waiting_for_the_interval() -> None:
    decoder = FakeDecoder()
    stream = make(decoder, partial_interval_s=1.0)
    await feed(stream, speech(1.2))  # first pass at 0.5 s; the interval would wait until 1.5 s
    assert [call[0] for call in decoder.calls] == [8000]
    await feed(stream, np.zeros(3200, np.float32))
    assert len(decoder.calls) == 2 and decoder.calls[1][0] >= 1.2 * 16000
    assert stream.covered_s is not None and stream.covered_s >= 1.2
    await stream.finish()
