"""``ting serve``: open the hub (assistant, accounts, speech engines) and serve it with uvicorn.

The listening socket is bound before the engines load, and the line
``Ting hub listening on http://HOST:PORT`` is printed once the hub answers, so a supervisor or a
test can start it on port 0 and read the port it got.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket

import uvicorn

from ting.assistant import Assistant
from ting.hub.accounts import AccountStore
from ting.hub.app import create_app
from ting.hub.hub import Hub
from ting.hub.settings import HubSettings
from ting.hub.speech import HubSpeech

_LOGGER = logging.getLogger(__name__)


async def open_hub(settings: HubSettings) -> Hub:
    """Everything the hub needs, loaded once (raises ``TingError`` naming the fix)."""
    from ting.models import ModelResolver, ModelSettings

    assistant = await Assistant.open(settings.assistant)
    accounts = await AccountStore.open(settings.accounts_path)
    speech = None
    try:
        if settings.voice:
            resolver = ModelResolver(ModelSettings.from_env(settings.assistant.data_dir))
            speech = await HubSpeech.open(
                assistant, resolver, max_streams=settings.max_voice_streams
            )
    except BaseException:
        await accounts.close()
        await assistant.close()
        raise
    hub = Hub(settings, assistant, accounts, speech)
    await assistant.start()
    return hub


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it Nagle's algorithm and delayed ACKs held every response back ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def serve(settings: HubSettings) -> None:
    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    hub = await open_hub(settings)
    config = uvicorn.Config(
        create_app(hub),
        ws="websockets-sansio",
        ws_max_size=settings.limits.message,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        log_level="warning",
        lifespan="off",
        backlog=2048,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, lambda: setattr(server, "should_exit", True))
    wyoming = None
    if settings.wyoming_port is not None:
        from ting.hub.wyoming_service import WyomingService

        wyoming = WyomingService(hub)
        w_host, w_port = await wyoming.start(settings.host, settings.wyoming_port)
        print(f"Wyoming services on tcp://{w_host}:{w_port}", flush=True)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.05)
    if server.started:
        print(f"Ting hub listening on http://{host}:{port}", flush=True)
    try:
        await serving
    finally:
        if wyoming is not None:
            await wyoming.close()
        await hub.close()
