"""``/ws/satellite``: the WebSocket a satellite holds open to the hub.

The handshake must carry ``Authorization: Bearer <device token>`` (from pairing); without a
valid one the hub refuses it (HTTP 403) before any frame is read. Every message is one frame.
Malformed frames, unknown event types and oversized messages get a non-fatal ``error`` event;
a peer that sends nothing but garbage (``MAX_STRIKES`` in a row) is disconnected. One satellite
failing never touches another: each socket is its own task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

from ting.hub.hub import Hub
from ting.hub.links import LinkClosed, LinkIdentity, SatelliteLink
from ting.hub.session import SatelliteSession
from ting.protocol import FrameError, decode_event
from ting.protocol import events as wire

_LOGGER = logging.getLogger(__name__)

MAX_STRIKES = 20
"""Malformed frames in a row after which the satellite is disconnected."""
REPLACED = 4009
REVOKED = 4003


def bearer_token(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def satellite_socket(websocket: WebSocket) -> None:
    hub: Hub = websocket.app.state.hub
    token = bearer_token(websocket)
    device = await hub.accounts.device_for_token(token) if token else None
    if device is None:
        hub.metrics.count("ting_refused_connections_total", "Satellites refused at handshake")
        await websocket.close(code=1008)  # before accept: the client sees HTTP 403
        return
    await websocket.accept()

    async def close(code: int, reason: str) -> None:
        await websocket.close(code, reason)

    identity = LinkIdentity(device.id, device.household_id, device.name, device.room)
    link = SatelliteLink(
        identity, websocket.send_bytes, close, send_timeout_s=hub.settings.send_timeout_s
    )
    replaced = hub.links.add(link)
    if replaced is not None:
        await replaced.close(REPLACED, "the same speaker connected again")
    session = SatelliteSession(hub, link)
    hub.metrics.count("ting_connections_total", "Satellite connections accepted")
    try:
        await _serve(websocket, hub, link, session)
    finally:
        await session.close()
        hub.links.remove(link)
        link.closed = True


async def _serve(
    websocket: WebSocket, hub: Hub, link: SatelliteLink, session: SatelliteSession
) -> None:
    strikes = 0
    limits = hub.settings.limits
    while True:
        try:
            message = await websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        raw = message.get("bytes")
        if raw is None:
            raw = message.get("text") or ""
        try:
            event = decode_event(raw, limits)
        except FrameError as err:
            strikes += 1
            hub.metrics.count("ting_protocol_errors_total", "Protocol mistakes", code=err.code)
            fatal = strikes >= MAX_STRIKES
            with contextlib.suppress(LinkClosed):
                await link.send(wire.Error(code=err.code, message=str(err), fatal=fatal))
            if fatal:
                await link.close(1008, "too many malformed frames")
                return
            continue
        strikes = 0
        try:
            await session.handle(event)
        except LinkClosed:
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            _LOGGER.exception("handling %s from %s failed", event.type, link.identity.device_id)
            with contextlib.suppress(LinkClosed):
                await link.send(wire.Error(code="internal", message=f"{event.type} failed"))
