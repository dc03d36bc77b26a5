"""``ting listen``: the live loop on this machine's microphone and speaker (``sounddevice``).

``audio_devices()`` says why live audio is impossible (no PortAudio, no input or no output
device) so the CLI can print a clear message instead of a traceback.
"""

from __future__ import annotations

import asyncio
import collections
import importlib.util
import threading
from collections.abc import AsyncIterator
from typing import Any

import numpy as np

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat
from ting.errors import EngineError
from ting.pipeline.audio_io import AudioInput
from ting.pipeline.pipeline import VoicePipeline, VoiceTurn

NO_AUDIO_HINT = "use 'ting ask --audio command.wav --out reply.wav' on a machine without one"


def audio_devices() -> str | None:
    """None when a microphone and a speaker are there; else why not, fit for a user."""
    if importlib.util.find_spec("sounddevice") is None:
        return f"live audio needs sounddevice (pip install sounddevice); {NO_AUDIO_HINT}"
    try:
        import sounddevice
    except OSError as error:  # PortAudio missing
        return f"live audio needs PortAudio ({error}); {NO_AUDIO_HINT}"
    try:
        devices = sounddevice.query_devices()
    except Exception as error:
        return f"cannot list audio devices ({error}); {NO_AUDIO_HINT}"
    entries = devices if isinstance(devices, list | tuple) else list(devices)
    inputs = [d for d in entries if int(d.get("max_input_channels", 0)) > 0]
    outputs = [d for d in entries if int(d.get("max_output_channels", 0)) > 0]
    if not inputs and not outputs:
        return f"this machine has no microphone and no speaker; {NO_AUDIO_HINT}"
    if not inputs:
        return f"this machine has no microphone; {NO_AUDIO_HINT}"
    if not outputs:
        return f"this machine has no speaker; {NO_AUDIO_HINT}"
    return None


async def microphone(*, block_ms: int = 30) -> AsyncIterator[AudioChunk]:
    """The default microphone as 16 kHz mono chunks."""
    import sounddevice

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray] = asyncio.Queue(256)
    frames = SPEECH_FORMAT.frames(block_ms / 1000)

    def callback(data: Any, count: int, when: Any, status: Any) -> None:
        samples = np.array(data[:, 0], dtype=np.float32)
        loop.call_soon_threadsafe(_offer, queue, samples)

    stream = sounddevice.InputStream(
        samplerate=SPEECH_FORMAT.sample_rate,
        channels=1,
        dtype="float32",
        blocksize=frames,
        callback=callback,
    )
    produced = 0
    with stream:
        while True:
            samples = await queue.get()
            yield AudioChunk(samples, SPEECH_FORMAT, produced / SPEECH_FORMAT.sample_rate)
            produced += samples.size


def _offer(queue: asyncio.Queue[np.ndarray], samples: np.ndarray) -> None:
    if queue.full():  # the loop fell behind: drop the oldest block rather than block PortAudio
        queue.get_nowait()
    queue.put_nowait(samples)


class SpeakerSink:
    """The default output device; ``interrupt`` silences it at once."""

    def __init__(self, fmt: AudioFormat | None = None) -> None:
        import sounddevice

        self.format = fmt or AudioFormat(22_050)
        fmt = self.format
        self._pending: collections.deque[np.ndarray] = collections.deque()
        self._lock = threading.Lock()
        self._stream = sounddevice.OutputStream(
            samplerate=fmt.sample_rate, channels=1, dtype="float32", callback=self._fill
        )
        self._stream.start()

    def _fill(self, out: Any, count: int, when: Any, status: Any) -> None:
        written = 0
        with self._lock:
            while written < count and self._pending:
                head = self._pending[0]
                take = min(count - written, head.size)
                out[written : written + take, 0] = head[:take]
                written += take
                if take == head.size:
                    self._pending.popleft()
                else:
                    self._pending[0] = head[take:]
        out[written:, 0] = 0.0

    async def play(self, chunk: AudioChunk) -> None:
        if chunk.format.sample_rate != self.format.sample_rate:
            raise EngineError(f"speaker plays {self.format}, not {chunk.format}")
        with self._lock:
            self._pending.append(chunk.samples.copy())
        while self._queued_s() > 1.0:  # keep at most about a second ahead of the listener
            await asyncio.sleep(0.05)

    def _queued_s(self) -> float:
        with self._lock:
            return sum(p.size for p in self._pending) / self.format.sample_rate

    def interrupt(self) -> None:
        with self._lock:
            self._pending.clear()

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


async def listen(pipeline: VoicePipeline, *, max_turns: int | None = None) -> list[VoiceTurn]:
    """Listen on the microphone and answer on the speaker until cancelled (Ctrl-C)."""
    problem = audio_devices()
    if problem is not None:
        raise EngineError(problem)
    sink = SpeakerSink()
    audio = AudioInput(microphone())
    try:
        return await pipeline.converse(audio, sink, first="required", max_turns=max_turns)
    finally:
        await audio.aclose()
        sink.close()
