"""What every REST endpoint shares: JSON errors, bounded bodies, sign-in, rate limits.

Errors reach the client as ``{"error": code, "message": text}`` with a fitting status and
never as a traceback:

    ApiError(status, code)        raised by the endpoints themselves
    PairingError                  400 with its code (429 + Retry-After: too_many_attempts)
    InputError                    400 bad_request (its message is fit for a user)
    ConfigError, EngineError      503 unavailable
    StoreError                    503 store_unavailable
    anything else                 500 internal (logged with its traceback here)

``endpoint`` wraps a handler with that translation (and, unless ``public``, with sign-in: the
``ting_session`` cookie or ``Authorization: Bearer <session token>``).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from ting.errors import ConfigError, EngineError, InputError, StoreError
from ting.hub.accounts import Device, Household, Member, PairingError
from ting.hub.hub import Hub

_LOGGER = logging.getLogger(__name__)

SESSION_COOKIE = "ting_session"
MAX_JSON_BYTES = 64 * 1024
"""The largest JSON body, in bytes (texts are short); recordings may use the hub's limit."""
MAX_TEXT_CHARS = 1000
"""The longest text to ask or announce, in characters."""

Handler = Callable[[Request], Awaitable[Response]]
MemberHandler = Callable[[Request, Member], Awaitable[Response]]


class ApiError(Exception):
    """An answer other than success: ``status``, a stable ``code`` and a message for people."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status, headers=headers)


def hub_of(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _translate(error: Exception) -> JSONResponse:
    match error:
        case ApiError():
            return error_response(error.status, error.code, error.message, error.headers)
        case PairingError():
            if error.code == "too_many_attempts":
                retry = math.ceil(error.retry_after_s or 60)
                return error_response(429, error.code, str(error), {"Retry-After": str(retry)})
            return error_response(400, error.code, str(error))
        case InputError():
            return error_response(400, "bad_request", str(error))
        case ConfigError() | EngineError():
            return error_response(503, "unavailable", str(error))
        case StoreError():
            _LOGGER.error("store failure: %s", error)
            return error_response(503, "store_unavailable", "storage failed; try again")
    _LOGGER.exception("unexpected failure", exc_info=error)
    return error_response(500, "internal", "something went wrong on the hub")


def endpoint(handler: Handler) -> Handler:
    """A public handler whose errors become JSON answers."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except ClientDisconnect:
            return Response(status_code=499)
        except Exception as error:
            return _translate(error)

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def member_endpoint(handler: MemberHandler) -> Handler:
    """A handler for signed-in members only (401 otherwise); it gets the ``Member``."""

    async def signed_in(request: Request) -> Response:
        member = await current_member(request)
        if member is None:
            raise ApiError(401, "not_signed_in", "sign in first")
        return await handler(request, member)

    signed_in.__name__ = handler.__name__
    return endpoint(signed_in)


# -- sign-in -------------------------------------------------------------------------------


def session_token(request: Request) -> str | None:
    """The session token of the request: the bearer token, else the cookie."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.cookies.get(SESSION_COOKIE) or None


async def current_member(request: Request) -> Member | None:
    token = session_token(request)
    if token is None or len(token) > 512:
        return None
    return await hub_of(request).accounts.member_for_session(token)


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=30 * 86400,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_is_https(request),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_is_https(request)
    )


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


# -- bodies --------------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused with 413 past ``limit`` bytes, by its Content-Length or while
    it streams in (a chunked upload declares no length)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
        if size > limit:
            raise too_large(limit)
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"the request body is over {limit} bytes")


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object (400 when it is not one; 413 when too large)."""
    limit = min(MAX_JSON_BYTES, hub_of(request).settings.max_request_bytes)
    raw = await read_body(request, limit)
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "the request body must be a JSON object")
    return data


def text_field(
    data: dict[str, Any], name: str, *, required: bool = True, max_chars: int | None = None
) -> str | None:
    """A string field; 400 when it is missing (and required), not a string, or too long."""
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, "missing_field", f"{name!r} is required")
        return None
    if not isinstance(value, str):
        raise ApiError(400, "bad_field", f"{name!r} must be a string")
    if max_chars is not None and len(value) > max_chars:
        raise ApiError(400, "too_long", f"{name!r} is over {max_chars} characters")
    return value


def spoken_text(data: dict[str, Any], name: str = "text") -> str:
    """What to say or ask: a non-empty string of at most ``MAX_TEXT_CHARS`` characters."""
    text = text_field(data, name, max_chars=MAX_TEXT_CHARS) or ""
    if not text.strip():
        raise ApiError(400, "empty_text", f"{name!r} is empty: type something to say")
    return text.strip()


def bool_field(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ApiError(400, "bad_field", f"{name!r} must be true or false")
    return value


# -- rate limits ---------------------------------------------------------------------------


class RateLimit:
    """At most ``count`` events per key within ``window_s`` seconds (in memory, per process)."""

    def __init__(self, count: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        self.count = count
        self.window_s = window_s
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def check(self, key: str) -> None:
        """Count one event for ``key``; 429 with Retry-After when over the limit."""
        now = self._clock()
        if len(self._events) > 10_000:
            self._forget_before(now - self.window_s)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if len(events) >= self.count:
            retry = max(1, math.ceil(events[0] + self.window_s - now))
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests; try again in {retry} s",
                headers={"Retry-After": str(retry)},
            )
        events.append(now)

    def _forget_before(self, cutoff: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= cutoff]:
            del self._events[key]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class ApiLimits:
    """The rate limits of one app (kept on ``app.state``, so two apps never share them)."""

    def __init__(self) -> None:
        self.failed_logins = RateLimit(count=10, window_s=60.0)
        """Wrong passwords per client address per minute (scrypt makes each one slow too)."""
        self.signups = RateLimit(count=20, window_s=3600.0)
        """New households per client address per hour."""
        self.pair_starts = RateLimit(count=30, window_s=600.0)
        """Pairings a client address may open per 10 minutes (the account store asks the web
        layer to limit these: they are unauthenticated writes)."""


def limits(request: Request) -> ApiLimits:
    state = request.app.state
    if not hasattr(state, "api_limits"):
        state.api_limits = ApiLimits()
    found: ApiLimits = state.api_limits
    return found


# -- records as JSON -------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def member_json(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "email": member.email,
        "name": member.display_name,
        "role": member.role,
        "household_id": member.household_id,
        "created_at": iso(member.created_at),
    }


def household_json(household: Household) -> dict[str, Any]:
    return {"id": household.id, "name": household.name, "created_at": iso(household.created_at)}


def device_json(hub: Hub, device: Device) -> dict[str, Any]:
    link = hub.links.get(device.id)
    connected = (
        link is not None and not link.closed and link.identity.household_id == device.household_id
    )
    return {
        "id": device.id,
        "name": device.name,
        "room": device.room,
        "created_at": iso(device.created_at),
        "last_seen_at": iso(device.last_seen_at),
        "connected": connected,
        "state": link.state if connected and link is not None else "offline",
    }
