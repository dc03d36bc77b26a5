"""Speakers: pairing (RFC 8628, the OAuth 2.0 device authorization grant) and the household's
list of devices.

The speaker's side (no sign-in): ``POST /api/devices/pair`` opens a pairing,
``POST /api/devices/token`` polls it. The member's side: ``POST /api/pair/confirm`` or
``/api/pair/deny`` with the code the speaker shows, then ``GET /api/devices``,
``PATCH`` and ``DELETE /api/devices/{id}``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ting.hub.accounts import Member
from ting.hub.api_common import (
    MAX_JSON_BYTES,
    ApiError,
    client_key,
    device_json,
    endpoint,
    hub_of,
    limits,
    member_endpoint,
    read_body,
    read_json,
    text_field,
)

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
NO_STORE = {"Cache-Control": "no-store"}


def console_url(request: Request, path: str) -> str:
    """The absolute address of a console page (``/pair`` → ``http://host:port/#pair``)."""
    base = str(request.base_url).rstrip("/")
    return f"{base}/#{path.lstrip('/')}"


# -- the speaker's side --------------------------------------------------------------------


@endpoint
async def pair_start(request: Request) -> Response:
    data = await read_json(request)
    name = text_field(data, "name", max_chars=200) or ""
    room = text_field(data, "room", required=False, max_chars=200)
    limits(request).pair_starts.check(client_key(request))
    start = await hub_of(request).accounts.start_pairing(name, room)
    page = console_url(request, start.verification_uri_path)
    return JSONResponse(
        {
            "device_code": start.device_code,
            "user_code": start.user_code,
            "verification_uri": page,
            "verification_uri_complete": f"{page}?code={quote(start.user_code)}",
            "expires_in": start.expires_in_s,
            "interval": start.interval_s,
        },
        headers=NO_STORE,
    )


@endpoint
async def device_token(request: Request) -> Response:
    data = await _token_request(request)
    grant_type, device_code = data.get("grant_type"), data.get("device_code")
    if grant_type != GRANT_TYPE:
        return _grant_error("unsupported_grant_type", f"grant_type must be {GRANT_TYPE}")
    if not isinstance(device_code, str) or not device_code or len(device_code) > 512:
        return _grant_error("invalid_request", "device_code is required")
    poll = await hub_of(request).accounts.poll_pairing(device_code)
    if poll.status != "approved" or poll.access_token is None or poll.device is None:
        return _grant_error(poll.status, _POLL_MESSAGES.get(poll.status, poll.status))
    return JSONResponse(
        {"access_token": poll.access_token, "token_type": "Bearer", "device_id": poll.device.id},
        headers=NO_STORE,
    )


_POLL_MESSAGES = {
    "authorization_pending": "waiting for a member to enter the code in the console",
    "slow_down": "polling too often: wait the interval (now 5 s longer)",
    "expired_token": "the pairing expired or was already used; start again",
    "access_denied": "a member refused this speaker",
    "invalid_grant": "no such pairing",
}


async def _token_request(request: Request) -> dict[str, Any]:
    """RFC 8628 §3.4 posts a form; JSON is taken too."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raw = await read_body(request, MAX_JSON_BYTES)
        try:
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "invalid_request", "the form is not readable") from None
    return await read_json(request)


def _grant_error(code: str, message: str) -> JSONResponse:
    body = {"error": code, "message": message, "error_description": message}
    return JSONResponse(body, 400, headers=NO_STORE)


# -- the member's side ---------------------------------------------------------------------


@member_endpoint
async def pair_confirm(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    data = await read_json(request)
    user_code = text_field(data, "user_code", max_chars=64) or ""
    name = text_field(data, "name", required=False, max_chars=200)
    room = text_field(data, "room", required=False, max_chars=200)
    device = await hub.accounts.approve_pairing(user_code, member, name=name or None, room=room)
    return JSONResponse(device_json(hub, device), 201)


@member_endpoint
async def pair_deny(request: Request, member: Member) -> Response:
    data = await read_json(request)
    user_code = text_field(data, "user_code", max_chars=64) or ""
    await hub_of(request).accounts.deny_pairing(user_code, member)
    return JSONResponse({"denied": True})


@member_endpoint
async def list_devices(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    devices = await hub.accounts.list_devices(member.household_id)
    return JSONResponse([device_json(hub, d) for d in devices if not d.revoked])


@member_endpoint
async def update_device(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    device_id = request.path_params["device_id"]
    data = await read_json(request)
    name = text_field(data, "name", required=False, max_chars=200)
    room = text_field(data, "room", required=False, max_chars=200)
    current = await hub.accounts.get_device(member.household_id, device_id)
    if current is None or current.revoked:
        raise _no_device(device_id)
    device = await hub.accounts.update_device(member.household_id, device_id, name=name, room=room)
    if device is None:
        raise _no_device(device_id)
    link = hub.links.get(device.id)
    if link is not None and link.identity.household_id == device.household_id:
        # Announcements to a room follow the move at once, without a reconnect.
        link.identity = replace(link.identity, name=device.name, room=device.room)
    return JSONResponse(device_json(hub, device))


@member_endpoint
async def delete_device(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    device_id = request.path_params["device_id"]
    current = await hub.accounts.get_device(member.household_id, device_id)
    if current is None or current.revoked:
        raise _no_device(device_id)
    await hub.accounts.revoke_device(member.household_id, device_id)
    await hub.disconnect_device(device_id, "revoked")
    return JSONResponse({"id": device_id, "revoked": True})


def _no_device(device_id: str) -> ApiError:
    return ApiError(404, "not_found", f"this household has no speaker {device_id!r}")
