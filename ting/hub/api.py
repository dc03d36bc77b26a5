"""The hub's REST API: every route, in one table. The handlers live by topic:

- ``ting.hub.api_auth``: sign up, sign in and out, who am I;
- ``ting.hub.api_devices``: pairing speakers (RFC 8628) and managing them;
- ``ting.hub.api_talk``: asking (text or a recording), history, schedule, announcements;
- ``ting.hub.api_common``: JSON errors, bounded bodies, sign-in, rate limits;
- ``ting.hub.openapi``: the OpenAPI 3.1 description served at ``/api/openapi.json``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ting.hub import api_auth, api_devices, api_talk
from ting.hub.api_common import endpoint
from ting.hub.openapi import openapi_document


@endpoint
async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(str(request.base_url).rstrip("/")))


def api_routes() -> list[Route]:
    return [
        Route("/api/signup", api_auth.signup, methods=["POST"]),
        Route("/api/login", api_auth.login, methods=["POST"]),
        Route("/api/logout", api_auth.logout, methods=["POST"]),
        Route("/api/me", api_auth.me, methods=["GET"]),
        Route("/api/devices/pair", api_devices.pair_start, methods=["POST"]),
        Route("/api/devices/token", api_devices.device_token, methods=["POST"]),
        Route("/api/pair/confirm", api_devices.pair_confirm, methods=["POST"]),
        Route("/api/pair/deny", api_devices.pair_deny, methods=["POST"]),
        Route("/api/devices", api_devices.list_devices, methods=["GET"]),
        Route(
            "/api/devices/{device_id}",
            api_devices.update_device,
            methods=["PATCH"],
            name="update_device",
        ),
        Route(
            "/api/devices/{device_id}",
            api_devices.delete_device,
            methods=["DELETE"],
            name="delete_device",
        ),
        Route("/api/ask", api_talk.ask, methods=["POST"]),
        Route("/api/ask/audio", api_talk.ask_audio, methods=["POST"]),
        Route("/api/history", api_talk.history, methods=["GET"]),
        Route("/api/history", api_talk.delete_history, methods=["DELETE"], name="delete_history"),
        Route("/api/schedule", api_talk.schedule, methods=["GET"]),
        Route("/api/announce", api_talk.announce, methods=["POST"]),
        Route("/api/openapi.json", openapi, methods=["GET"]),
    ]
