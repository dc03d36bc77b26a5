"""Ting's wire protocol: Wyoming framing (``frames``) and typed events (``events``).

Light on purpose: the satellite imports it without any of the hub's models.
"""

from ting.protocol.events import EVENTS, WireEvent, decode_event, encode_event, event_from_frame
from ting.protocol.frames import (
    DEFAULT_LIMITS,
    PROTOCOL_VERSION,
    Frame,
    FrameError,
    FrameLimits,
    decode_frame,
    encode_frame,
    read_frame,
)

__all__ = [
    "DEFAULT_LIMITS",
    "EVENTS",
    "PROTOCOL_VERSION",
    "Frame",
    "FrameError",
    "FrameLimits",
    "WireEvent",
    "decode_event",
    "decode_frame",
    "encode_event",
    "encode_frame",
    "event_from_frame",
    "read_frame",
]
