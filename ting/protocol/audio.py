"""Audio on the wire: PCM payloads of ``audio-chunk`` events ↔ ``AudioChunk``s.

Ting sends 16-bit little-endian PCM (``width`` 2); it reads widths 2 and 4 (Wyoming peers
send 2). A payload that does not fit its announced format is a ``FrameError``.
"""

from __future__ import annotations

import numpy as np

from ting.audio.format import AudioChunk, AudioFormat, float_to_pcm16
from ting.audio.wav import decode_pcm
from ting.errors import InputError
from ting.protocol.events import AudioChunk as AudioChunkEvent
from ting.protocol.frames import FrameError

WIDTHS = (2, 4)


def chunk_event(chunk: AudioChunk, run_id: str = "") -> AudioChunkEvent:
    """An ``audio-chunk`` event holding ``chunk`` as 16-bit PCM."""
    pcm = float_to_pcm16(chunk.samples)
    return AudioChunkEvent(
        rate=chunk.format.sample_rate,
        width=2,
        channels=chunk.format.channels,
        run_id=run_id,
        payload=pcm.tobytes(),
    )


def event_chunk(event: AudioChunkEvent, start_s: float = 0.0) -> AudioChunk:
    """The samples of an ``audio-chunk`` event, checked against its format."""
    if event.width not in WIDTHS:
        raise FrameError("bad-audio", f"sample width {event.width} (Ting reads 2 or 4 bytes)")
    try:
        fmt = AudioFormat(sample_rate=event.rate, channels=event.channels)
    except InputError as err:
        raise FrameError("bad-audio", str(err)) from err
    frame_bytes = event.width * event.channels
    if len(event.payload) % frame_bytes:
        raise FrameError(
            "bad-audio",
            f"{len(event.payload)} bytes is not a whole number of {frame_bytes}-byte frames",
        )
    samples = decode_pcm(event.payload, event.width * 8, is_float=False)
    if event.channels > 1:
        samples = samples.reshape(-1, event.channels)
    return AudioChunk(np.ascontiguousarray(samples, dtype=np.float32), fmt, start_s)
