"""Conformance: every event round-trips (WebSocket message and TCP stream), every malformed
frame is refused with a ``FrameError`` and a code, and ``docs/protocol.md`` documents every
event with its fields."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import typing
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.audio.format import AudioChunk, AudioFormat
from ting.protocol import (
    EVENTS,
    FrameError,
    FrameLimits,
    WireEvent,
    decode_event,
    decode_frame,
    encode_event,
    read_frame,
)
from ting.protocol import events as wire
from ting.protocol.audio import chunk_event, event_chunk
from ting.protocol.events import event_from_frame

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _sample(hint: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is Literal:
        return typing.get_args(hint)[-1]
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return _sample(next(a for a in typing.get_args(hint) if a is not type(None)), name)
    if hint is bool:
        return True
    if hint is int:
        return 16000
    if hint is float:
        return 0.75
    if hint is str:
        return f"{name}-值"
    if hint is bytes:
        return b"\x01\x00" * 160
    if origin is list:
        (item,) = typing.get_args(hint)
        return [{"item_id": "a1", "due_at": "2026-11-25T07:00:00+00:00"}] if item is not str else [
            "en",
            "zh",
        ]
    if origin is dict:
        return {"rate": 16000, "width": 2, "channels": 1}
    raise AssertionError(f"no sample for {hint}")


def sample_event(cls: type[WireEvent]) -> WireEvent:
    hints = typing.get_type_hints(cls)
    values = {f.name: _sample(hints[f.name], f.name) for f in dataclasses.fields(cls)}
    if cls is wire.AudioChunk:
        values.update(rate=16000, width=2, channels=1)
    return cls(**values)


ALL = sorted(EVENTS)


@pytest.mark.parametrize("name", ALL)
def test_every_event_round_trips_as_a_websocket_message(name: str) -> None:
    event = sample_event(EVENTS[name])
    message = encode_event(event)
    assert decode_event(message) == event
    header = json.loads(message.split(b"\n", 1)[0])
    assert header["type"] == name and header["version"].startswith("1.")


@pytest.mark.parametrize("name", ALL)
async def test_every_event_round_trips_on_a_tcp_stream(name: str) -> None:
    event = sample_event(EVENTS[name])
    reader = asyncio.StreamReader()
    reader.feed_data(encode_event(event) * 2)
    reader.feed_eof()
    first = await read_frame(reader)
    second = await read_frame(reader)
    assert first is not None and second is not None
    assert event_from_frame(first) == event == event_from_frame(second)
    assert await read_frame(reader) is None


def test_long_data_goes_after_the_header_like_wyoming() -> None:
    event = wire.Reply("r", "很长的回答。" * 200, "zh", actions=[{"type": "x"}] * 10)
    message = encode_event(event)
    header = json.loads(message.split(b"\n", 1)[0])
    assert "data" not in header and header["data_length"] > 512
    assert decode_event(message) == event


def test_wyoming_style_frames_are_read() -> None:
    """A Wyoming 1.x peer: data after the header, no run_id, its own version number."""
    data = json.dumps({"rate": 22050, "width": 2, "channels": 1}).encode()
    payload = b"\x00\x01" * 100
    header = {
        "type": "audio-chunk",
        "version": "1.5.2",
        "data_length": len(data),
        "payload_length": len(payload),
    }
    message = json.dumps(header).encode() + b"\n" + data + payload
    event = decode_event(message)
    assert isinstance(event, wire.AudioChunk)
    assert (event.rate, event.run_id, event.payload) == (22050, "", payload)
    assert isinstance(decode_event('{"type": "describe"}'), wire.Describe)


MALFORMED: list[tuple[bytes, str]] = [
    (b"not json\n", "bad-frame"),
    (b"[1, 2]\n", "bad-frame"),
    (b'{"version": "1.0"}\n', "bad-frame"),
    (b'{"type": ""}\n', "bad-frame"),
    (b'{"type": "describe", "version": "2.0"}\n', "version"),
    (b'{"type": "describe", "data_length": -1}\n', "bad-frame"),
    (b'{"type": "describe", "payload_length": "5"}\n', "bad-frame"),
    (b'{"type": "describe", "data_length": 99999999}\n', "too-large"),
    (b'{"type": "audio-chunk", "payload_length": 10}\n\x00\x00', "bad-frame"),
    (b'{"type": "describe"}\nextra', "bad-frame"),
    (b'{"type": "describe", "data": [1]}\n', "bad-frame"),
    (b'{"type": "describe", "data_length": 3}\nabc', "bad-frame"),
    (b'{"type": "launch-missiles"}\n', "unknown-event"),
    (b'{"type": "wake", "data": {"model": "alexa"}}\n', "bad-event"),
    (b'{"type": "wake", "data": {"run_id": 5, "model": "alexa"}}\n', "bad-event"),
    (b'{"type": "ping", "data": {"id": true}}\n', "bad-event"),
    (b'{"type": "state", "data": {"state": "dancing"}}\n', "bad-event"),
    (b'{"type": "describe", "payload_length": 2}\n\x00\x00', "bad-event"),
    (b"\xff\xfe\n", "bad-frame"),
]


@pytest.mark.parametrize(("message", "code"), MALFORMED)
def test_malformed_frames_are_refused_with_a_code(message: bytes, code: str) -> None:
    with pytest.raises(FrameError) as refused:
        decode_event(message)
    assert refused.value.code == code
    assert str(refused.value)


def test_oversized_messages_are_refused_before_parsing() -> None:
    limits = FrameLimits(header=100, data=100, payload=100)
    with pytest.raises(FrameError) as refused:
        decode_frame(b"x" * (limits.message + 1), limits)
    assert refused.value.code == "too-large"
    with pytest.raises(FrameError) as refused:
        decode_frame(b'{"type":"describe","pad":"' + b"x" * 200 + b'"}\n', limits)
    assert refused.value.code == "too-large"


async def test_a_stream_cut_inside_a_frame_is_an_error() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(encode_event(sample_event(wire.AudioChunk))[:-5])
    reader.feed_eof()
    with pytest.raises(FrameError):
        await read_frame(reader)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_either_decode_or_raise_a_frame_error(raw: bytes) -> None:
    try:
        decode_event(raw)
    except FrameError as err:
        assert err.code


def test_audio_payloads_round_trip_and_bad_audio_is_refused() -> None:
    samples = np.sin(np.linspace(0, 20, 1600, dtype=np.float32)) * 0.5
    chunk = AudioChunk(samples.astype(np.float32), AudioFormat(16000, 1))
    back = event_chunk(decode_event(encode_event(chunk_event(chunk, "r"))))  # type: ignore[arg-type]
    assert np.max(np.abs(back.samples - chunk.samples)) < 1e-4
    stereo = wire.AudioChunk(44100, 2, 2, payload=b"\x00" * 8)
    assert event_chunk(stereo).samples.shape == (2, 2)
    for bad in (
        wire.AudioChunk(16000, 2, 1, payload=b"\x00" * 3),
        wire.AudioChunk(16000, 3, 1, payload=b"\x00" * 6),
        wire.AudioChunk(100, 2, 1, payload=b"\x00" * 4),
        wire.AudioChunk(16000, 2, 0, payload=b""),
    ):
        with pytest.raises(FrameError) as refused:
            event_chunk(bad)
        assert refused.value.code == "bad-audio"


def test_the_protocol_document_names_every_event_and_field() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z-]+)`.*$", text, re.M)}
    for name, cls in EVENTS.items():
        row = rows.get(name) or next((r for k, r in rows.items() if name in r), None)
        assert row is not None, f"docs/protocol.md has no row for {name!r}"
        for f in dataclasses.fields(cls):
            if f.name != "payload":
                assert f"`{f.name}`" in row, f"{name}: field {f.name!r} undocumented"
