"""The hub's ASGI app (Starlette): the satellite WebSocket, the REST API with its OpenAPI
schema, the browser console, ``/healthz`` and Prometheus-style ``/metrics``."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from ting import __version__
from ting.hub.hub import Hub
from ting.hub.satellite_socket import satellite_socket

CONSOLE_DIR = Path(__file__).parent / "console"


async def healthz(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    return JSONResponse(
        {
            "status": "ok",
            "version": __version__,
            "satellites": len(hub.links),
            "speech": hub.speech is not None,
        }
    )


async def metrics(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    return PlainTextResponse(hub.metrics.render(), media_type="text/plain; version=0.0.4")


def create_app(hub: Hub) -> Starlette:
    from ting.hub.api import api_routes

    routes: list[BaseRoute] = [
        WebSocketRoute("/ws/satellite", satellite_socket),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        *api_routes(),
    ]
    console = hub.settings.console_dir or CONSOLE_DIR
    if console.is_dir():
        routes.append(Mount("/", StaticFiles(directory=console, html=True), name="console"))
    app = Starlette(routes=routes)
    app.state.hub = hub
    return app
