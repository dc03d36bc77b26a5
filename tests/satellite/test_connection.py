"""The connection to a real WebSocket server: the mute guarantee at the sender, the greeting,
revoked tokens, malformed frames, and reconnecting when the hub comes back."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from satellite_hub import TOKEN, FakeHub

from ting.protocol import PROTOCOL_VERSION, FrameLimits
from ting.protocol import events as ev
from ting.satellite.backoff import BackoffSettings
from ting.satellite.connection import HubConnection, HubUnauthorized
from ting.satellite.mute import MuteSwitch


class Recorder:
    def __init__(self) -> None:
        self.events: list[ev.WireEvent] = []
        self.ups = 0
        self.downs = 0
        self.changed = asyncio.Event()

    async def on_connected(self) -> None:
        self.ups += 1
        self.changed.set()

    async def on_event(self, event: ev.WireEvent) -> None:
        self.events.append(event)
        self.changed.set()

    async def on_disconnected(self, reason: str) -> None:
        self.downs += 1
        self.changed.set()

    async def until(self, check: object, timeout: float = 5.0) -> None:
        async def wait() -> None:
            while not check():  # type: ignore[operator]
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), timeout)


@contextlib.asynccontextmanager
async def running(
    connection: HubConnection, recorder: Recorder
) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(connection.run(recorder))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def chunk(run_id: str, n: int) -> ev.AudioChunk:
    return ev.AudioChunk(rate=16000, width=2, channels=1, run_id=run_id, payload=bytes([n]) * 1280)


async def test_muted_audio_never_leaves(hub: FakeHub, tmp_path: Path) -> None:
    switch = MuteSwitch(tmp_path)
    connection = HubConnection(hub.url, TOKEN, mute=switch)
    recorder = Recorder()
    async with running(connection, recorder):
        await recorder.until(lambda: connection.connected)
        assert await connection.send(chunk("r1", 1))
        switch.toggle()  # SIGUSR1
        assert not await connection.send(ev.Wake(run_id="r2", model="alexa"))
        assert not await connection.send(ev.AudioStart(16000, 2, 1, run_id="r2"))
        assert not await connection.send(chunk("r2", 2))
        assert await connection.send(ev.Cancel(run_id="r2"))  # control events still go
        switch.toggle()
        (tmp_path / "muted").touch()  # the hardware switch, seen at once (no poll needed)
        assert not await connection.send(chunk("r3", 3))
        (tmp_path / "muted").unlink()
        assert await connection.send(chunk("r4", 4))
        await hub.wait_for("audio-chunk", count=2)
        await hub.wait_for("cancel")
    received = [(e.type, getattr(e, "run_id", "")) for e in hub.received]
    assert received == [("audio-chunk", "r1"), ("cancel", "r2"), ("audio-chunk", "r4")]
    assert connection.dropped_audio == 4
    assert hub.headers[0]["Authorization"] == f"Bearer {TOKEN}"


async def test_refused_token_stops_retrying(hub: FakeHub, tmp_path: Path) -> None:
    for status in (401, 403):
        hub.refuse = status
        connection = HubConnection(hub.url, TOKEN, mute=MuteSwitch(tmp_path))
        with pytest.raises(HubUnauthorized, match="Pair again: ting satellite pair") as caught:
            await asyncio.wait_for(connection.run(Recorder()), 5)
        assert caught.value.status == status


async def test_wrong_token_is_unauthorized(hub: FakeHub, tmp_path: Path) -> None:
    connection = HubConnection(hub.url, "stolen", mute=MuteSwitch(tmp_path))
    with pytest.raises(HubUnauthorized, match="HTTP 401"):
        await asyncio.wait_for(connection.run(Recorder()), 5)


async def test_bad_and_unknown_frames_are_skipped(hub: FakeHub, tmp_path: Path) -> None:
    connection = HubConnection(hub.url, TOKEN, mute=MuteSwitch(tmp_path))
    recorder = Recorder()
    async with running(connection, recorder):
        await recorder.until(lambda: connection.connected)
        await hub.send_raw(b"not a frame\n")
        await hub.send_raw(b'{"type":"from-the-future","data":{"x":1}}\n')
        await hub.send_raw(b'{"type":"ping","data":{"id":"not an int"}}\n')
        await hub.send(ev.Ping(id=7))
        await recorder.until(lambda: recorder.events)
        assert recorder.events == [ev.Ping(id=7)]
        assert connection.connected


async def test_reconnects_soon_after_the_hub_returns(hub: FakeHub, tmp_path: Path) -> None:
    connection = HubConnection(
        hub.url, TOKEN, mute=MuteSwitch(tmp_path), backoff=BackoffSettings(initial_s=0.25)
    )
    recorder = Recorder()
    async with running(connection, recorder):
        await recorder.until(lambda: recorder.ups == 1)
        port = hub.port
        await hub.stop()
        await recorder.until(lambda: recorder.downs == 1)
        await asyncio.sleep(4.0)  # the hub stays away long enough for the backoff to cap
        assert connection.backoff.attempt >= 4
        await hub.start(port)
        back = time.monotonic()
        await recorder.until(lambda: recorder.ups == 2, timeout=5.0)
        assert time.monotonic() - back < 2.5


def test_limits_and_version_are_the_protocols() -> None:
    assert HubConnection("ws://x", "t", mute=MuteSwitch(Path("/nonexistent"))).limits == (
        FrameLimits()
    )
    assert PROTOCOL_VERSION.startswith("1.")
