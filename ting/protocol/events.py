"""The typed events of the wire protocol (``docs/protocol.md`` tells each one's flow).

Every event is a frozen dataclass whose ``type`` is its wire name; its fields are the frame's
data, except ``payload`` (audio bytes). ``to_frame`` / ``event_from_frame`` convert, checking
every field's type, so a handler only ever sees well-formed events. Unknown data fields are
ignored (a newer peer may send more); a missing or mistyped field is a ``FrameError``
("bad-event"), an unknown type is "unknown-event".

Audio events carry the same fields as Wyoming's (``rate``, ``width``, ``channels``), so Wyoming
peers read them as they are.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ting.protocol.frames import (
    DEFAULT_LIMITS,
    Frame,
    FrameError,
    FrameLimits,
    decode_frame,
    encode_frame,
)

SatelliteStateName = Literal["idle", "listening", "thinking", "speaking", "muted"]
AudioPurpose = Literal["command", "reply", "notification", "announcement"]


@dataclass(frozen=True)
class WireEvent:
    type: ClassVar[str] = ""

    def to_frame(self) -> Frame:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        payload = data.pop("payload", b"")
        return Frame(self.type, data, payload)


# -- session -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Describe(WireEvent):
    """Ask the peer for its ``info``."""

    type: ClassVar[str] = "describe"


@dataclass(frozen=True)
class Info(WireEvent):
    """Who a peer is and what it can do (the answer to ``describe``)."""

    type: ClassVar[str] = "info"
    role: Literal["hub", "satellite"]
    name: str
    protocol: str
    version: str
    """Software version."""
    languages: list[str] = field(default_factory=list)
    wake_words: list[str] = field(default_factory=list)
    audio: dict[str, int] = field(default_factory=dict)
    """The audio format the peer sends: ``rate`` (Hz), ``width`` (bytes), ``channels``."""
    capabilities: list[str] = field(default_factory=list)
    device_id: str | None = None
    household_id: str | None = None
    room: str | None = None


@dataclass(frozen=True)
class Ping(WireEvent):
    type: ClassVar[str] = "ping"
    id: int = 0


@dataclass(frozen=True)
class Pong(WireEvent):
    type: ClassVar[str] = "pong"
    id: int = 0


@dataclass(frozen=True)
class Error(WireEvent):
    """Something went wrong; ``fatal``: the sender closes the connection next."""

    type: ClassVar[str] = "error"
    code: str
    message: str
    run_id: str | None = None
    fatal: bool = False


# -- the satellite -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatelliteState(WireEvent):
    """What the speaker is doing now (its LEDs show the same)."""

    type: ClassVar[str] = "state"
    state: SatelliteStateName


@dataclass(frozen=True)
class Wake(WireEvent):
    """The satellite heard its wake word (or Ting asked and it listens for the answer); its
    command audio follows as ``audio-start`` / ``audio-chunk``s with the same ``run_id``."""

    type: ClassVar[str] = "wake"
    run_id: str
    model: str
    phrase: str = ""
    probability: float = 0.0
    level_db: float = -100.0
    """Loudness of the wake phrase (dBFS): how well this speaker heard it, for arbitration."""
    follow_up: bool = False


@dataclass(frozen=True)
class WakeResult(WireEvent):
    """Arbitration between speakers that heard the same wake word: ``won`` false means another
    speaker answers; stop streaming and go back to idle."""

    type: ClassVar[str] = "wake-result"
    run_id: str
    won: bool


@dataclass(frozen=True)
class AudioStart(WireEvent):
    type: ClassVar[str] = "audio-start"
    rate: int
    width: int
    channels: int
    run_id: str = ""
    purpose: AudioPurpose = "command"


@dataclass(frozen=True)
class AudioChunk(WireEvent):
    """PCM samples, little-endian signed, interleaved; ``payload`` holds them."""

    type: ClassVar[str] = "audio-chunk"
    rate: int
    width: int
    channels: int
    run_id: str = ""
    payload: bytes = b""


@dataclass(frozen=True)
class AudioStop(WireEvent):
    type: ClassVar[str] = "audio-stop"
    run_id: str = ""


@dataclass(frozen=True)
class Text(WireEvent):
    """A typed command (consoles, tests); answered like a spoken one, without audio in."""

    type: ClassVar[str] = "text"
    run_id: str
    text: str


@dataclass(frozen=True)
class Cancel(WireEvent):
    """Stop this run now (barge-in, "stop", the satellite was muted)."""

    type: ClassVar[str] = "cancel"
    run_id: str


@dataclass(frozen=True)
class Played(WireEvent):
    """The satellite finished playing a run's audio (or stopped it: ``interrupted``)."""

    type: ClassVar[str] = "played"
    run_id: str
    interrupted: bool = False


@dataclass(frozen=True)
class RangOffline(WireEvent):
    """Timers and alarms the satellite rang on its own while the hub was unreachable: items of
    ``{"item_id", "due_at", "rang_at"}``. The hub takes them as delivered."""

    type: ClassVar[str] = "rang-offline"
    items: list[dict[str, Any]] = field(default_factory=list)


# -- the hub -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceStarted(WireEvent):
    type: ClassVar[str] = "voice-started"
    run_id: str


@dataclass(frozen=True)
class VoiceStopped(WireEvent):
    """The command ended (``reason``: complete, silence, max-length, timeout): stop streaming."""

    type: ClassVar[str] = "voice-stopped"
    run_id: str
    reason: str = ""


@dataclass(frozen=True)
class Transcript(WireEvent):
    type: ClassVar[str] = "transcript"
    run_id: str
    text: str
    language: str = ""


@dataclass(frozen=True)
class Reply(WireEvent):
    """What Ting answers; its audio follows (``audio-start`` with purpose "reply").
    ``expecting``: Ting asked a question, listen for the answer without the wake word."""

    type: ClassVar[str] = "reply"
    run_id: str
    text: str
    language: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    expecting: bool = False


@dataclass(frozen=True)
class RunEnd(WireEvent):
    """The run is over (``outcome``: replied, no-speech, not-understood, lost, cancelled,
    error)."""

    type: ClassVar[str] = "run-end"
    run_id: str
    outcome: str


@dataclass(frozen=True)
class Schedule(WireEvent):
    """Every pending timer and alarm of this satellite, so it can ring them without the hub:
    items of ``{"item_id", "kind", "label", "due_at" (ISO 8601 UTC), "language", "text"}``."""

    type: ClassVar[str] = "schedule"
    items: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Notification(WireEvent):
    """A timer, alarm or reminder fired on this satellite; its audio follows (purpose
    "notification", ``run_id`` as here)."""

    type: ClassVar[str] = "notification"
    run_id: str
    kind: str
    text: str
    language: str
    item_id: str | None = None
    late_by_s: float = 0.0
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Announce(WireEvent):
    """A message spoken on every speaker of the household (or of one room); its audio follows
    (purpose "announcement")."""

    type: ClassVar[str] = "announce"
    run_id: str
    text: str
    language: str
    from_device: str | None = None
    room: str | None = None


EVENTS: dict[str, type[WireEvent]] = {
    cls.type: cls
    for cls in (
        Describe,
        Info,
        Ping,
        Pong,
        Error,
        SatelliteState,
        Wake,
        WakeResult,
        AudioStart,
        AudioChunk,
        AudioStop,
        Text,
        Cancel,
        Played,
        RangOffline,
        VoiceStarted,
        VoiceStopped,
        Transcript,
        Reply,
        RunEnd,
        Schedule,
        Notification,
        Announce,
    )
}


def event_from_frame(frame: Frame) -> WireEvent:
    cls = EVENTS.get(frame.type)
    if cls is None:
        raise FrameError("unknown-event", f"unknown event type {frame.type!r}")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name == "payload":
            values["payload"] = frame.payload
            continue
        if f.name not in frame.data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FrameError("bad-event", f"{frame.type!r} needs the field {f.name!r}")
            continue
        value = frame.data[f.name]
        if not _fits(value, hints[f.name]):
            raise FrameError(
                "bad-event", f"{frame.type!r}: field {f.name!r} has the wrong type or value"
            )
        values[f.name] = float(value) if hints[f.name] is float else value
    if frame.payload and "payload" not in values:
        raise FrameError("bad-event", f"{frame.type!r} carries no payload")
    return cls(**values)


def encode_event(event: WireEvent) -> bytes:
    """The bytes of one event's frame (one WebSocket message)."""
    return encode_frame(event.to_frame())


def decode_event(message: bytes | str, limits: FrameLimits = DEFAULT_LIMITS) -> WireEvent:
    """One event from one WebSocket message (``FrameError`` when malformed)."""
    return event_from_frame(decode_frame(message, limits))


def _fits(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin is Literal:
        return value in typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if origin is dict:
        key, item = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _fits(k, key) and _fits(v, item) for k, v in value.items()
        )
    return False
