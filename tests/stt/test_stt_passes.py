"""The shared recognition worker: final passes jump the queue, surplus partial passes are
skipped, failures reach their caller; and a stream keeps a language it identified with
confidence instead of identifying it again on every pass."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk
from ting.stt import Hypothesis, IncrementalSettings, IncrementalStream, SttOptions
from ting.stt.passes import PassQueue, PassSkipped


async def test_final_passes_run_before_waiting_partial_ones() -> None:
    queue: PassQueue[str] = PassQueue(max_waiting_partials=5)
    gate = threading.Event()
    order: list[str] = []

    def job(name: str) -> Callable[[], str]:
        def work() -> str:
            if name == "first":
                gate.wait(5)
            order.append(name)
            return name

        return work

    first = asyncio.create_task(queue.run(job("first"), final=False))
    await asyncio.sleep(0.05)  # "first" is running and blocks the worker
    partials = [asyncio.create_task(queue.run(job(f"p{i}"), final=False)) for i in range(2)]
    final = asyncio.create_task(queue.run(job("final"), final=True))
    await asyncio.sleep(0.05)
    gate.set()
    assert await final == "final"
    await asyncio.gather(first, *partials)
    assert order == ["first", "final", "p0", "p1"]
    queue.close()


async def test_partial_passes_beyond_the_limit_are_skipped_not_queued() -> None:
    queue: PassQueue[int] = PassQueue(max_waiting_partials=1)
    gate = threading.Event()
    running = asyncio.create_task(queue.run(lambda: gate.wait(5) and 0, final=False))
    await asyncio.sleep(0.05)
    waiting = asyncio.create_task(queue.run(lambda: 1, final=False))
    await asyncio.sleep(0)
    with pytest.raises(PassSkipped):
        await queue.run(lambda: 2, final=False)
    assert queue.skipped == 1
    final = asyncio.create_task(queue.run(lambda: 3, final=True))  # finals are never skipped
    gate.set()
    assert await asyncio.gather(running, waiting, final) == [0, 1, 3]
    queue.close()


async def test_a_failing_pass_raises_in_its_caller_and_the_worker_goes_on() -> None:
    queue: PassQueue[int] = PassQueue()

    def broken() -> int:
        raise RuntimeError("decoder exploded")

    with pytest.raises(RuntimeError, match="exploded"):
        await queue.run(broken)
    assert await queue.run(lambda: 7) == 7
    queue.close()


class SureDecoder:
    """Identifies English with the given probability when no language is forced."""

    def __init__(self, probability: float) -> None:
        self.probability = probability
        self.languages: list[str | None] = []

    def __call__(self, audio: np.ndarray, language: str | None, vocab: Sequence[str]) -> Hypothesis:
        self.languages.append(language)
        return Hypothesis("hello", language or "en", self.probability, -0.1, 0.0, 0.01)


async def _speak(decoder: SureDecoder) -> None:
    queue: PassQueue[Hypothesis] = PassQueue()

    async def offload(work: Callable[[], Hypothesis], *, final: bool) -> Hypothesis:
        return await queue.run(work, final=final)

    stream = IncrementalStream(
        decoder, offload, IncrementalSettings(partial_interval_s=0.3), SttOptions(), ()
    )
    t = np.arange(int(2.5 * 16000)) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    for offset in range(0, tone.size, 1600):
        await stream.push(AudioChunk(tone[offset : offset + 1600], SPEECH_FORMAT))
        await asyncio.sleep(0.02)
    await stream.finish()
    queue.close()


async def test_a_confident_language_is_kept_for_the_rest_of_the_utterance() -> None:
    sure = SureDecoder(0.99)
    await _speak(sure)
    assert sure.languages[0] is None and "en" in sure.languages
    first_locked = sure.languages.index("en")
    assert all(lang == "en" for lang in sure.languages[first_locked:])
    unsure = SureDecoder(0.6)
    await _speak(unsure)
    assert len(unsure.languages) > 1 and set(unsure.languages) == {None}
