"""The REST API described as OpenAPI 3.1, written by hand next to the routes in
``ting.hub.api`` (a test checks that every route and method is here)."""

from __future__ import annotations

from typing import Any

from ting import __version__

JSON = "application/json"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _body(schema: dict[str, Any], media: str = JSON) -> dict[str, Any]:
    return {"required": True, "content": {media: {"schema": schema}}}


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description}
    if schema is not None:
        answer["content"] = {JSON: {"schema": schema}}
    return answer


def _error(description: str) -> dict[str, Any]:
    return _ok(description, _ref("Error"))


def _obj(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


STRING: dict[str, Any] = {"type": "string"}
NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}
TIME: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}
ERRORS = {
    "400": _error("Bad JSON or fields"),
    "413": _error("The body is over the hub's limit"),
}
SIGNED_IN = {"401": _error("Not signed in"), **ERRORS}
DEVICE_ID = {
    "name": "device_id",
    "in": "path",
    "required": True,
    "schema": STRING,
}
PUBLIC: list[dict[str, list[str]]] = []

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        ["error", "message"],
        error={"type": "string", "description": "A stable code, e.g. not_signed_in"},
        message={"type": "string", "description": "What went wrong, for people"},
    ),
    "Member": _obj(
        ["id", "email", "name", "role", "household_id"],
        id=STRING,
        email={"type": "string", "format": "email"},
        name=STRING,
        role={"enum": ["owner", "member"]},
        household_id=STRING,
        created_at=TIME,
    ),
    "Household": _obj(["id", "name"], id=STRING, name=STRING, created_at=TIME),
    "Device": _obj(
        ["id", "name", "room", "connected", "state"],
        id=STRING,
        name=STRING,
        room=NULLABLE_STRING,
        created_at=TIME,
        last_seen_at=TIME,
        connected={"type": "boolean"},
        state={"enum": ["idle", "listening", "thinking", "speaking", "muted", "offline"]},
    ),
    "TurnResult": _obj(
        ["text", "language", "reply"],
        text=STRING,
        language=STRING,
        intent=NULLABLE_STRING,
        skill=NULLABLE_STRING,
        confidence={"type": "number"},
        source=STRING,
        slots={"type": "object"},
        reply=STRING,
        actions={"type": "array", "items": {"type": "object"}},
        expecting=NULLABLE_STRING,
        elapsed_ms={"type": "number"},
    ),
    "HistoryEntry": _obj(
        ["id", "at", "device_id", "text", "reply"],
        id={"type": "integer"},
        at=TIME,
        device_id=STRING,
        user_id=NULLABLE_STRING,
        language=STRING,
        text=STRING,
        intent=NULLABLE_STRING,
        reply=STRING,
        actions={"type": "array", "items": {"type": "object"}},
    ),
    "ScheduledItem": _obj(
        ["id", "kind", "due_at", "state", "device_id"],
        id=STRING,
        kind={"enum": ["timer", "alarm", "reminder"]},
        label=NULLABLE_STRING,
        due_at=TIME,
        state={"enum": ["pending", "paused"]},
        device_id=STRING,
        recurrence=NULLABLE_STRING,
    ),
    "TokenRequest": _obj(
        ["grant_type", "device_code"],
        grant_type={"const": "urn:ietf:params:oauth:grant-type:device_code"},
        device_code=STRING,
    ),
}

_SESSION = _obj(["member", "token"], member=_ref("Member"), token=STRING)
_SIGNUP_ANSWER = _obj(
    ["member", "household", "token"],
    member=_ref("Member"),
    household=_ref("Household"),
    token=STRING,
)
_TEXT = {"type": "string", "minLength": 1, "maxLength": 1000}
_AUDIO = {"type": ["string", "null"], "contentEncoding": "base64", "contentMediaType": "audio/wav"}


def _paths() -> dict[str, Any]:
    return {
        "/api/signup": {
            "post": {
                "summary": "Create a household and its owner, and sign in",
                "security": PUBLIC,
                "requestBody": _body(
                    _obj(
                        ["email", "password", "household"],
                        email=STRING,
                        password={"type": "string", "minLength": 8},
                        household=STRING,
                        name=STRING,
                    )
                ),
                "responses": {
                    "201": _ok("Signed up; the ting_session cookie is set", _SIGNUP_ANSWER),
                    **ERRORS,
                    "403": _error("Sign-up is turned off on this hub"),
                    "429": _error("Too many sign-ups from this address"),
                },
            }
        },
        "/api/login": {
            "post": {
                "summary": "Sign in",
                "security": PUBLIC,
                "requestBody": _body(_obj(["email", "password"], email=STRING, password=STRING)),
                "responses": {
                    "200": _ok("Signed in; the ting_session cookie is set", _SESSION),
                    **ERRORS,
                    "401": _error("invalid_credentials"),
                    "429": _error("Too many wrong passwords from this address"),
                },
            }
        },
        "/api/logout": {
            "post": {
                "summary": "Sign out (forget this session)",
                "responses": {"200": _ok("Signed out"), **SIGNED_IN},
            }
        },
        "/api/me": {
            "get": {
                "summary": "The signed-in member and their household",
                "responses": {
                    "200": _ok(
                        "Who is signed in",
                        _obj(
                            ["member", "household"],
                            member=_ref("Member"),
                            household=_ref("Household"),
                        ),
                    ),
                    **SIGNED_IN,
                },
            }
        },
        "/api/devices/pair": {
            "post": {
                "summary": "A speaker starts pairing (RFC 8628 device authorization request)",
                "security": PUBLIC,
                "requestBody": _body(_obj(["name"], name=STRING, room=NULLABLE_STRING)),
                "responses": {
                    "200": _ok(
                        "The codes",
                        _obj(
                            ["device_code", "user_code", "verification_uri", "expires_in"],
                            device_code=STRING,
                            user_code={"type": "string", "pattern": "^[A-Z]{4}-[A-Z]{4}$"},
                            verification_uri={"type": "string", "format": "uri"},
                            verification_uri_complete={"type": "string", "format": "uri"},
                            expires_in={"type": "integer"},
                            interval={"type": "integer"},
                        ),
                    ),
                    **ERRORS,
                    "429": _error("Too many pairings from this address"),
                },
            }
        },
        "/api/devices/token": {
            "post": {
                "summary": "A speaker polls its pairing (RFC 8628 device access token request)",
                "security": PUBLIC,
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": _ref("TokenRequest")},
                        "application/x-www-form-urlencoded": {"schema": _ref("TokenRequest")},
                    },
                },
                "responses": {
                    "200": _ok(
                        "Approved: the speaker's access token (given once)",
                        _obj(
                            ["access_token", "token_type", "device_id"],
                            access_token=STRING,
                            token_type={"const": "Bearer"},
                            device_id=STRING,
                        ),
                    ),
                    "400": _ok(
                        "Not (yet) approved",
                        _obj(
                            ["error"],
                            error={
                                "enum": [
                                    "authorization_pending",
                                    "slow_down",
                                    "expired_token",
                                    "access_denied",
                                    "invalid_grant",
                                    "unsupported_grant_type",
                                    "invalid_request",
                                ]
                            },
                            message=STRING,
                            error_description=STRING,
                        ),
                    ),
                },
            }
        },
        "/api/pair/confirm": {
            "post": {
                "summary": "Approve the speaker showing this code into my household",
                "requestBody": _body(
                    _obj(["user_code"], user_code=STRING, name=STRING, room=NULLABLE_STRING)
                ),
                "responses": {
                    "201": _ok("The new device", _ref("Device")),
                    **SIGNED_IN,
                    "429": _error("too_many_attempts: wrong codes lately (see Retry-After)"),
                },
            }
        },
        "/api/pair/deny": {
            "post": {
                "summary": "Refuse the speaker showing this code",
                "requestBody": _body(_obj(["user_code"], user_code=STRING)),
                "responses": {
                    "200": _ok("Refused"),
                    **SIGNED_IN,
                    "429": _error("too_many_attempts"),
                },
            }
        },
        "/api/devices": {
            "get": {
                "summary": "My household's speakers, with their live state",
                "responses": {
                    "200": _ok("The devices", {"type": "array", "items": _ref("Device")}),
                    **SIGNED_IN,
                },
            }
        },
        "/api/devices/{device_id}": {
            "parameters": [DEVICE_ID],
            "patch": {
                "summary": "Rename a speaker or move it to another room",
                "requestBody": _body(_obj([], name=STRING, room=NULLABLE_STRING)),
                "responses": {
                    "200": _ok("The device", _ref("Device")),
                    **SIGNED_IN,
                    "404": _error("No such speaker in my household"),
                },
            },
            "delete": {
                "summary": "Remove a speaker: its token is revoked and it is disconnected",
                "responses": {
                    "200": _ok("Revoked"),
                    **SIGNED_IN,
                    "404": _error("No such speaker in my household"),
                },
            },
        },
        "/api/ask": {
            "post": {
                "summary": "Ask Ting in writing",
                "requestBody": _body(
                    _obj(["text"], text=_TEXT, device_id=STRING, speak={"type": "boolean"})
                ),
                "responses": {
                    "200": _ok(
                        "The turn, and its spoken reply when asked for",
                        _obj(
                            ["result"],
                            result=_ref("TurnResult"),
                            audio_wav_base64=_AUDIO,
                        ),
                    ),
                    **SIGNED_IN,
                    "404": _error("device_id is not one of my household's speakers"),
                },
            }
        },
        "/api/ask/audio": {
            "post": {
                "summary": "Ask Ting with a recording (hold-to-talk)",
                "parameters": [
                    {"name": "device_id", "in": "query", "required": False, "schema": STRING}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                        "audio/flac": {"schema": {"type": "string", "format": "binary"}},
                    },
                },
                "responses": {
                    "200": _ok(
                        "What was heard and answered",
                        _obj(
                            ["transcript", "language", "outcome", "result", "audio_wav_base64"],
                            transcript=STRING,
                            language=STRING,
                            outcome=STRING,
                            reply=STRING,
                            result={"oneOf": [_ref("TurnResult"), {"type": "null"}]},
                            audio_wav_base64=_AUDIO,
                        ),
                    ),
                    **SIGNED_IN,
                    "404": _error("device_id is not one of my household's speakers"),
                    "415": _error("Not WAV or FLAC"),
                    "503": _error("This hub runs without speech"),
                },
            }
        },
        "/api/history": {
            "get": {
                "summary": "My household's latest turns, newest first",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {"name": "device_id", "in": "query", "schema": STRING},
                ],
                "responses": {
                    "200": _ok("The entries", {"type": "array", "items": _ref("HistoryEntry")}),
                    **SIGNED_IN,
                },
            },
            "delete": {
                "summary": "Forget my household's history (or one speaker's)",
                "parameters": [{"name": "device_id", "in": "query", "schema": STRING}],
                "responses": {
                    "200": _ok("How many", _obj(["deleted"], deleted={"type": "integer"})),
                    **SIGNED_IN,
                },
            },
        },
        "/api/schedule": {
            "get": {
                "summary": "My household's timers, alarms and reminders still to ring",
                "responses": {
                    "200": _ok("The items", {"type": "array", "items": _ref("ScheduledItem")}),
                    **SIGNED_IN,
                },
            }
        },
        "/api/announce": {
            "post": {
                "summary": "Speak a message on every speaker of my household (or of one room)",
                "requestBody": _body(
                    _obj(["text"], text=_TEXT, room=STRING, language={"enum": ["en", "zh"]})
                ),
                "responses": {
                    "200": _ok(
                        "The speakers reached",
                        _obj(["reached"], reached={"type": "array", "items": STRING}),
                    ),
                    **SIGNED_IN,
                },
            }
        },
        "/api/openapi.json": {
            "get": {
                "summary": "This document",
                "security": PUBLIC,
                "responses": {"200": _ok("OpenAPI 3.1", {"type": "object"})},
            }
        },
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the REST API, for a hub reached at ``server_url``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ting hub",
            "version": __version__,
            "description": (
                "The REST API of a Ting hub: accounts, pairing speakers (RFC 8628), talking "
                "to Ting, history and schedule. Errors are {error, message} JSON."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"session": []}, {"bearer": []}],
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "ting_session"},
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A session token from /api/signup or /api/login",
                },
            },
        },
    }
