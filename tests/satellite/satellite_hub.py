"""Helpers for the satellite's tests: a real WebSocket hub scripted by each test (``FakeHub``),
spoken clips and tones. (A uniquely named module, so that it never clashes with another
folder's ``conftest``.)"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import numpy as np
import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from ting.protocol import FrameError, decode_event, encode_event
from ting.protocol.events import WireEvent

TOKEN = "test-token"


class FakeHub:
    """Accepts satellites at /ws/satellite with ``Bearer TOKEN``; records what they send."""

    def __init__(self) -> None:
        self.received: list[WireEvent] = []
        self.connections: list[ServerConnection] = []
        self.refuse: int | None = None
        """HTTP status to refuse every handshake with."""
        self.headers: list[Headers] = []
        self._changed = asyncio.Condition()
        self.server: Server | None = None
        self.port = 0

    async def start(self, port: int = 0) -> None:
        self.server = await serve(
            self._serve, "127.0.0.1", port, process_request=self._check, max_size=2**20
        )
        self.port = next(iter(self.server.sockets)).getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/satellite"

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        self.headers.append(request.headers)
        if self.refuse is not None:
            return connection.respond(HTTPStatus(self.refuse), "refused\n")
        if request.path != "/ws/satellite":
            return connection.respond(HTTPStatus.NOT_FOUND, "no\n")
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return connection.respond(HTTPStatus.UNAUTHORIZED, "bad token\n")
        return None

    async def _serve(self, connection: ServerConnection) -> None:
        self.connections.append(connection)
        async for message in connection:
            try:
                event = decode_event(message)
            except FrameError:
                continue
            async with self._changed:
                self.received.append(event)
                self._changed.notify_all()

    async def send(self, event: WireEvent) -> None:
        await self.connections[-1].send(encode_event(event))

    async def send_raw(self, message: bytes) -> None:
        await self.connections[-1].send(message)

    def of_type(self, kind: str) -> list[WireEvent]:
        return [e for e in self.received if e.type == kind]

    async def wait_for(
        self,
        kind: str,
        where: Callable[[WireEvent], bool] = lambda e: True,
        *,
        count: int = 1,
        timeout: float = 10.0,
    ) -> WireEvent:
        """The ``count``-th received event of ``kind`` matching ``where``."""

        def found() -> list[WireEvent]:
            return [e for e in self.of_type(kind) if where(e)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(found()) >= count), timeout)
        return found()[count - 1]


def spoken(text: str, path: Path, voice: str = "en-us") -> Path:
    """``text`` spoken by espeak-ng into ``path`` (skips the test without espeak-ng)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    return path


def tone(seconds: float, rate: int = 16_000, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
