"""Console accounts: ``/api/signup``, ``/api/login``, ``/api/logout``, ``/api/me``.

A session token comes back both in the body (for scripts: ``Authorization: Bearer``) and as the
``ting_session`` cookie (HttpOnly, SameSite=Strict, Path=/; Secure over HTTPS) for the console.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ting.hub.accounts import Member
from ting.hub.api_common import (
    ApiError,
    clear_session_cookie,
    client_key,
    endpoint,
    household_json,
    hub_of,
    limits,
    member_endpoint,
    member_json,
    read_json,
    session_token,
    set_session_cookie,
    text_field,
)


@endpoint
async def signup(request: Request) -> Response:
    hub = hub_of(request)
    if not hub.settings.allow_signup:
        raise ApiError(403, "signup_disabled", "this hub does not take new sign-ups")
    data = await read_json(request)
    email = text_field(data, "email", max_chars=300) or ""
    password = text_field(data, "password", max_chars=2000) or ""
    household = text_field(data, "household", max_chars=200) or ""
    name = text_field(data, "name", required=False, max_chars=200) or email.partition("@")[0]
    limits(request).signups.check(client_key(request))
    member = await hub.accounts.signup(email, password, household, name)
    token = await hub.accounts.create_session(member.id)
    home = await hub.accounts.get_household(member.household_id)
    response = JSONResponse(
        {
            "member": member_json(member),
            "household": household_json(home) if home else None,
            "token": token,
        },
        201,
    )
    set_session_cookie(request, response, token)
    return response


@endpoint
async def login(request: Request) -> Response:
    hub = hub_of(request)
    data = await read_json(request)
    email = text_field(data, "email", max_chars=300) or ""
    password = text_field(data, "password", max_chars=2000) or ""
    member = await hub.accounts.authenticate(email, password)
    if member is None:
        limits(request).failed_logins.check(client_key(request))
        raise ApiError(401, "invalid_credentials", "wrong e-mail address or password")
    token = await hub.accounts.create_session(member.id)
    response = JSONResponse({"member": member_json(member), "token": token})
    set_session_cookie(request, response, token)
    return response


@member_endpoint
async def logout(request: Request, member: Member) -> Response:
    token = session_token(request)
    if token:
        await hub_of(request).accounts.delete_session(token)
    response = JSONResponse({"signed_out": True})
    clear_session_cookie(request, response)
    return response


@member_endpoint
async def me(request: Request, member: Member) -> Response:
    home = await hub_of(request).accounts.get_household(member.household_id)
    return JSONResponse(
        {"member": member_json(member), "household": household_json(home) if home else None}
    )
