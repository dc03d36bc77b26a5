"""Bad peers against a real hub (``ting serve --no-voice``): malformed, oversized, unknown and
out-of-order frames, missing or wrong tokens, a peer that sends only garbage, a second
connection of the same speaker. Each gets a clear ``error`` event or a refused handshake, and the
hub keeps serving everyone else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import websockets
from hubproc import Console, HubProcess
from websockets.asyncio.client import ClientConnection

from ting.protocol import FrameLimits, WireEvent, decode_event, encode_event
from ting.protocol import events as wire

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    started = HubProcess(tmp_path_factory.mktemp("hub")).start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def tokens(hub: HubProcess) -> Iterator[list[str]]:
    console = Console(hub)
    console.signup("faults@example.com", "Faults")
    yield [console.pair(f"Speaker {n}")["access_token"] for n in range(4)]
    console.close()


async def connect(hub: HubProcess, token: str) -> ClientConnection:
    ws = await websockets.connect(
        hub.ws_url,
        additional_headers={"Authorization": f"Bearer {token}"},
        max_size=FrameLimits().message,
    )
    await ws.send(encode_event(wire.Info(role="satellite", name="t", protocol="1.0", version="t")))
    await ws.send(encode_event(wire.Describe()))
    assert isinstance(await next_event(ws, wire.Info), wire.Info)
    return ws


async def next_event(ws: ClientConnection, kind: type[WireEvent], timeout_s: float = 15) -> Any:
    async def read() -> WireEvent:
        while True:
            event = decode_event(await ws.recv())
            if isinstance(event, kind):
                return event

    return await asyncio.wait_for(read(), timeout_s)


@pytest_asyncio.fixture(loop_scope="module")
async def healthy(hub: HubProcess, tokens: list[str]) -> AsyncIterator[ClientConnection]:
    """A well-behaved speaker that must keep being served whatever the others do."""
    ws = await connect(hub, tokens[0])
    yield ws
    await ws.close()


async def assert_served(ws: ClientConnection) -> None:
    await ws.send(encode_event(wire.Text("check", "what's 2 plus 3")))
    reply = await next_event(ws, wire.Reply)
    assert "5" in reply.text
    assert (await next_event(ws, wire.RunEnd)).outcome == "replied"


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (b"garbage", "bad-frame"),
        (b'{"type": "describe", "version": "9.0"}\n', "version"),
        (b'{"type": "teleport"}\n', "unknown-event"),
        (b'{"type": "wake", "data": {"model": 3}}\n', "bad-event"),
        (encode_event(wire.AudioChunk(16000, 2, 1, "nobody", b"\0\0")), "out-of-order"),
        (encode_event(wire.Reply("r", "I am the hub now", "en")), "out-of-order"),
        ('{"type": "ping", "data": {"id": 7}', "bad-frame"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_stays(
    hub: HubProcess,
    tokens: list[str],
    healthy: ClientConnection,
    message: bytes | str,
    code: str,
) -> None:
    ws = await connect(hub, tokens[1])
    await ws.send(message)
    error = await next_event(ws, wire.Error)
    assert error.code == code and not error.fatal and error.message
    await ws.send(encode_event(wire.Ping(id=41)))
    assert (await next_event(ws, wire.Pong)).id == 41
    await assert_served(healthy)
    await ws.close()


async def test_audio_that_lies_about_its_format_is_refused(
    hub: HubProcess, tokens: list[str]
) -> None:
    ws = await connect(hub, tokens[1])
    await ws.send(encode_event(wire.Wake("r1", "alexa", level_db=-20.0)))
    await ws.send(encode_event(wire.AudioChunk(16000, 2, 1, "r1", b"\0\0\0")))
    error = await next_event(ws, wire.Error)
    assert error.code == "bad-audio"
    await ws.close()


async def test_a_peer_sending_only_garbage_is_cut_off(
    hub: HubProcess, tokens: list[str], healthy: ClientConnection
) -> None:
    ws = await connect(hub, tokens[2])
    for _ in range(25):
        await ws.send(b"\x00garbage")
    fatal = None
    with pytest.raises(websockets.ConnectionClosed):
        while True:
            event = decode_event(await asyncio.wait_for(ws.recv(), 10))
            if isinstance(event, wire.Error) and event.fatal:
                fatal = event
    assert fatal is not None
    await assert_served(healthy)


async def test_an_oversized_message_closes_only_that_peer(
    hub: HubProcess, tokens: list[str], healthy: ClientConnection
) -> None:
    ws = await websockets.connect(
        hub.ws_url, additional_headers={"Authorization": f"Bearer {tokens[2]}"}, max_size=None
    )
    await ws.send(b"x" * (FrameLimits().message + 1024))
    with pytest.raises(websockets.ConnectionClosed):
        for _ in range(10):
            await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 1009
    await assert_served(healthy)


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic abc"])
async def test_a_handshake_without_a_valid_device_token_is_refused(
    hub: HubProcess, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(hub.ws_url, additional_headers=headers)
    assert refused.value.response.status_code in (401, 403)


async def test_the_same_speaker_connecting_again_replaces_the_old_link(
    hub: HubProcess, tokens: list[str]
) -> None:
    old = await connect(hub, tokens[3])
    new = await connect(hub, tokens[3])
    with pytest.raises(websockets.ConnectionClosed):
        for _ in range(10):
            await asyncio.wait_for(old.recv(), 10)
    assert old.close_code == 4009
    await assert_served(new)
    await new.close()


async def test_a_speaker_vanishing_mid_command_leaves_the_hub_serving(
    hub: HubProcess, tokens: list[str], healthy: ClientConnection, tmp_path: Path
) -> None:
    ws = await connect(hub, tokens[1])
    await ws.send(encode_event(wire.Wake("gone", "alexa", level_db=-20.0)))
    await ws.send(encode_event(wire.AudioStart(16000, 2, 1, "gone")))
    for _ in range(10):
        await ws.send(encode_event(wire.AudioChunk(16000, 2, 1, "gone", b"\x10\x00" * 640)))
    ws.transport.abort()  # no close handshake: the network vanished
    await assert_served(healthy)
    await ws.close()
    console = Console(hub)
    assert console.client.get("/healthz").json()["status"] == "ok"
    console.close()
