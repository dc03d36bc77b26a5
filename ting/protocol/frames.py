"""Framing of the wire protocol, the same as Wyoming's (the Home Assistant voice protocol).

A frame is one JSON header line, then ``data_length`` bytes of JSON data, then
``payload_length`` bytes of binary payload (PCM audio)::

    {"type": "audio-chunk", "version": "1.0", "data_length": 43, "payload_length": 1024}\\n
    {"rate": 16000, "width": 2, "channels": 1}<1024 bytes of audio>

Wyoming peers may also put the data inline in the header (``"data": {...}``); both are read,
inline data is what Ting writes for small data. Over a WebSocket each message is exactly one frame
(binary message; a text message holds a frame without payload). Over TCP frames follow each other
on the stream (``read_frame``).

Every length is checked against ``FrameLimits`` before anything is read or allocated, so a lying
or hostile peer costs at most the limit. Anything malformed raises ``FrameError`` with a code
for the ``error`` event.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from ting.errors import TingError

PROTOCOL_VERSION = "1.0"
"""Ting's protocol version (major.minor): a peer with another major version is refused."""


class FrameError(TingError):
    """A frame that breaks the protocol; ``code`` is the ``error`` event's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FrameLimits:
    """Largest accepted sizes, in bytes."""

    header: int = 16 * 1024
    data: int = 64 * 1024
    payload: int = 256 * 1024
    """8 s of 16 kHz 16-bit mono audio in one chunk."""

    @property
    def message(self) -> int:
        """The largest whole frame (a WebSocket message)."""
        return self.header + self.data + self.payload + 1


@dataclass(frozen=True)
class Frame:
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    payload: bytes = b""


DEFAULT_LIMITS = FrameLimits()
_INLINE_DATA = 512
"""Data up to this many bytes goes inline in the header line; more goes after it."""


def encode_frame(frame: Frame) -> bytes:
    """The bytes of one frame (header line, data, payload)."""
    header: dict[str, Any] = {"type": frame.type, "version": PROTOCOL_VERSION}
    data = b""
    if frame.data:
        data = json.dumps(frame.data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(data) <= _INLINE_DATA:
            header["data"] = frame.data
            data = b""
        else:
            header["data_length"] = len(data)
    if frame.payload:
        header["payload_length"] = len(frame.payload)
    line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    return line + b"\n" + data + frame.payload


def decode_frame(message: bytes | str, limits: FrameLimits = DEFAULT_LIMITS) -> Frame:
    """One frame from one whole WebSocket message; ``FrameError`` when it is not exactly one."""
    raw = message.encode() if isinstance(message, str) else message
    if len(raw) > limits.message:
        raise FrameError("too-large", f"frame of {len(raw)} bytes; the limit is {limits.message}")
    end = raw.find(b"\n")
    if end < 0:
        end = len(raw)  # a header without its newline, nothing after it
    header = parse_header(raw[:end], limits)
    data_length, payload_length = _lengths(header, limits)
    body = raw[end + 1 :]
    if len(body) != data_length + payload_length:
        raise FrameError(
            "bad-frame",
            f"{header['type']!r}: the header announces {data_length + payload_length} bytes "
            f"after it, the message holds {len(body)}",
        )
    return _frame(header, body[:data_length], body[data_length:])


async def read_frame(
    reader: asyncio.StreamReader, limits: FrameLimits = DEFAULT_LIMITS
) -> Frame | None:
    """The next frame from a TCP stream (Wyoming peers); None at a clean end of the stream."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as err:
        if not err.partial.strip():
            return None
        raise FrameError("bad-frame", "the stream ended inside a header") from err
    except asyncio.LimitOverrunError as err:
        raise FrameError("too-large", "header line longer than the stream's limit") from err
    header = parse_header(line[:-1], limits)
    data_length, payload_length = _lengths(header, limits)
    try:
        data = await reader.readexactly(data_length) if data_length else b""
        payload = await reader.readexactly(payload_length) if payload_length else b""
    except asyncio.IncompleteReadError as err:
        raise FrameError("bad-frame", f"the stream ended inside {header['type']!r}") from err
    return _frame(header, data, payload)


def parse_header(line: bytes, limits: FrameLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    if len(line) > limits.header:
        raise FrameError("too-large", f"header of {len(line)} bytes; the limit is {limits.header}")
    try:
        header = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FrameError("bad-frame", f"the header is not JSON: {err}") from err
    if not isinstance(header, dict):
        raise FrameError("bad-frame", "the header is not a JSON object")
    kind = header.get("type")
    if not isinstance(kind, str) or not kind or len(kind) > 64:
        raise FrameError("bad-frame", "the header has no event type")
    version = header.get("version")
    if version is not None and not _compatible(version):
        raise FrameError(
            "version", f"protocol version {version!r}; this side speaks {PROTOCOL_VERSION}"
        )
    return header


def _compatible(version: object) -> bool:
    if not isinstance(version, str):
        return False
    major = version.split(".", 1)[0]
    # Wyoming peers send their own version (1.x); the framing is the same.
    return major == PROTOCOL_VERSION.split(".", 1)[0]


def _lengths(header: dict[str, Any], limits: FrameLimits) -> tuple[int, int]:
    data_length = header.get("data_length") or 0
    payload_length = header.get("payload_length") or 0
    for name, value, limit in (
        ("data_length", data_length, limits.data),
        ("payload_length", payload_length, limits.payload),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FrameError("bad-frame", f"{name} must be a non-negative integer")
        if value > limit:
            raise FrameError("too-large", f"{name} {value} is over the limit of {limit} bytes")
    return data_length, payload_length


def _frame(header: dict[str, Any], data: bytes, payload: bytes) -> Frame:
    fields = header.get("data") or {}
    if not isinstance(fields, dict):
        raise FrameError("bad-frame", "inline data must be a JSON object")
    if data:
        try:
            extra = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise FrameError("bad-frame", f"the data is not JSON: {err}") from err
        if not isinstance(extra, dict):
            raise FrameError("bad-frame", "the data is not a JSON object")
        fields = {**fields, **extra}
    return Frame(type=header["type"], data=fields, payload=payload)
