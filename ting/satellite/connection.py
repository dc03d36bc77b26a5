"""The WebSocket client to the hub: connect, hand every event to a handler, reconnect.

    connection = HubConnection(url, token, mute=switch)
    await connection.run(handler)     # for ever; HubUnauthorized when the token is refused
    await connection.send(event)      # False when not connected (or refused: see below)

``send`` is the one place where anything leaves the device, so the mute guarantee lives here:
while the switch is muted, ``wake``, ``audio-start`` and ``audio-chunk`` are refused whatever
the caller thinks the state is. Each WebSocket message is one frame; malformed or unknown
frames from the hub are logged and skipped (a newer hub may send more). Between attempts the
client waits a jittered, capped backoff (``ting.satellite.backoff``); a handshake refused with
HTTP 401 or 403 means the token is unknown or revoked, and retrying cannot help.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from ting.errors import TingError
from ting.protocol import DEFAULT_LIMITS, FrameError, FrameLimits, decode_event, encode_event
from ting.protocol.events import AudioChunk, AudioStart, Wake, WireEvent
from ting.satellite.backoff import Backoff, BackoffSettings

_LOGGER = logging.getLogger(__name__)
AUDIO_OUT = (Wake, AudioStart, AudioChunk)
"""Events that open or carry microphone audio: never sent while muted."""
STABLE_S = 10.0
"""Seconds a connection must have lasted for the backoff to start over."""


class HubUnauthorized(TingError):
    """The hub refused this speaker's token (HTTP 401/403): pair again."""

    def __init__(self, status: int) -> None:
        super().__init__(
            f"the hub refused this speaker's token (HTTP {status}): it was revoked or is "
            "unknown. Pair again: ting satellite pair --hub http://HOST:PORT --name NAME"
        )
        self.status = status


class MuteState(Protocol):
    def is_muted(self) -> bool: ...


class ConnectionHandler(Protocol):
    async def on_connected(self) -> None:
        """The handshake succeeded; send the greeting (``info`` …) before events arrive."""

    async def on_event(self, event: WireEvent) -> None:
        """One well-formed event from the hub."""

    async def on_disconnected(self, reason: str) -> None:
        """The connection is gone (it had been up)."""


class HubConnection:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        mute: MuteState,
        backoff: BackoffSettings | None = None,
        limits: FrameLimits = DEFAULT_LIMITS,
        open_timeout_s: float = 5.0,
        ping_interval_s: float | None = 10.0,
    ) -> None:
        self.url = url
        self._token = token
        self._mute = mute
        self.backoff = Backoff(backoff)
        self.limits = limits
        self._open_timeout_s = open_timeout_s
        self._ping_interval_s = ping_interval_s
        self._ws: ClientConnection | None = None
        self._send_lock = asyncio.Lock()
        self.dropped_audio = 0
        """Audio events refused because the switch was muted."""
        self.connects = 0

    @property
    def connected(self) -> bool:
        return self._ws is not None

    async def send(self, event: WireEvent) -> bool:
        """Send one event; False when it was not sent (muted audio, or no connection)."""
        if isinstance(event, AUDIO_OUT) and self._mute.is_muted():
            self.dropped_audio += 1
            _LOGGER.debug("muted: %s not sent", event.type)
            return False
        ws = self._ws
        if ws is None:
            return False
        try:
            async with self._send_lock:
                await ws.send(encode_event(event))
        except ConnectionClosed:
            return False
        return True

    async def drop(self) -> None:
        """Close the current connection (the hub said ``fatal``); ``run`` reconnects."""
        ws = self._ws
        if ws is not None:
            await ws.close()

    async def run(self, handler: ConnectionHandler) -> None:
        """Connect, serve, reconnect, for ever. Raises ``HubUnauthorized`` (no retry)."""
        failures = 0
        while True:
            started = time.monotonic()
            try:
                await self._serve_once(handler)
                failures = 0
            except InvalidStatus as error:
                status = error.response.status_code
                if status in (401, 403):
                    raise HubUnauthorized(status) from None
                failures += 1
                self._log_failure(failures, f"the hub answered HTTP {status}")
            except (OSError, TimeoutError, InvalidHandshake) as error:
                failures += 1
                self._log_failure(failures, str(error) or type(error).__name__)
            if time.monotonic() - started >= STABLE_S:
                self.backoff.reset()
            await asyncio.sleep(self.backoff.next_delay())

    def _log_failure(self, failures: int, reason: str) -> None:
        level = logging.WARNING if failures == 1 else logging.DEBUG
        _LOGGER.log(level, "cannot reach the hub at %s: %s (retrying)", self.url, reason)

    async def _serve_once(self, handler: ConnectionHandler) -> None:
        ws = await connect(
            self.url,
            additional_headers={"Authorization": f"Bearer {self._token}"},
            max_size=self.limits.message,
            open_timeout=self._open_timeout_s,
            ping_interval=self._ping_interval_s,
            ping_timeout=self._ping_interval_s,
            close_timeout=1.0,
        )
        self.connects += 1
        self._ws = ws
        reason = "closed"
        _LOGGER.info("connected to the hub at %s", self.url)
        try:
            await handler.on_connected()
            async for message in ws:
                event = self._decode(message)
                if event is not None:
                    await handler.on_event(event)
        except ConnectionClosed as error:
            reason = str(error) or "closed"
        finally:
            self._ws = None
            with contextlib.suppress(Exception):
                await ws.close()
            if ws.close_code is not None:
                reason = f"closed ({ws.close_code})"
            _LOGGER.warning("lost the hub at %s: %s", self.url, reason)
            await handler.on_disconnected(reason)

    def _decode(self, message: bytes | str) -> WireEvent | None:
        try:
            return decode_event(message, self.limits)
        except FrameError as error:
            if error.code == "unknown-event":
                _LOGGER.info("ignoring an event this satellite does not know: %s", error)
            else:
                _LOGGER.warning(
                    "ignoring a malformed frame from the hub (%s): %s", error.code, error
                )
            return None
