"""The REST API against a real text-only hub (``ting serve --no-voice``), over real HTTP and
WebSocket connections: accounts, pairing, revoking, household isolation, asking, history,
schedule, announcements, bad input and the OpenAPI document."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets
from hubproc import Console, HubProcess
from websockets.exceptions import ConnectionClosed, InvalidStatus

from ting.hub.api import api_routes
from ting.hub.api_common import ApiError, RateLimit
from ting.protocol import decode_event, encode_event
from ting.protocol import events as wire

GRANT = "urn:ietf:params:oauth:grant-type:device_code"

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path_factory.mktemp("hub")).start()
    yield process
    process.stop()


def member(hub: HubProcess, household: str = "Home") -> Console:
    console = Console(hub)
    console.signup(f"{uuid.uuid4().hex[:10]}@example.com", household)
    return console


@pytest.fixture
def ann(hub: HubProcess) -> Iterator[Console]:
    console = member(hub, "Ann's home")
    yield console
    console.close()


@pytest.fixture
def bob(hub: HubProcess) -> Iterator[Console]:
    console = member(hub, "Bob's home · 鲍家")
    yield console
    console.close()


def anonymous(hub: HubProcess) -> httpx.Client:
    return httpx.Client(base_url=hub.url, timeout=30.0)


def poll(client: httpx.Client, device_code: str) -> httpx.Response:
    return client.post("/api/devices/token", json={"grant_type": GRANT, "device_code": device_code})


async def receive(socket: Any, kind: type[wire.WireEvent], timeout_s: float = 5.0) -> Any:
    """The next event of type ``kind`` (others are skipped)."""
    async with asyncio.timeout(timeout_s):
        while True:
            event = decode_event(await socket.recv())
            if isinstance(event, kind):
                return event


def connect(hub: HubProcess, token: str) -> Any:
    return websockets.connect(hub.ws_url, additional_headers={"Authorization": f"Bearer {token}"})


# -- accounts ------------------------------------------------------------------------------


def test_signup_login_logout_and_me(hub: HubProcess) -> None:
    email = f"{uuid.uuid4().hex[:8]}@Example.com"
    with anonymous(hub) as client:
        assert client.get("/api/me").status_code == 401
        signed = client.post(
            "/api/signup",
            json={
                "email": email,
                "password": "correct horse 1",
                "household": "林家",
                "name": "Lin",
            },
        )
        assert signed.status_code == 201, signed.text
        body = signed.json()
        assert body["household"]["name"] == "林家"
        assert body["member"]["email"] == email.lower()
        cookie = signed.headers["set-cookie"]
        assert "ting_session=" in cookie and "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Path=/" in cookie
        me = client.get("/api/me")  # the cookie
        assert me.status_code == 200
        assert me.json()["household"]["name"] == "林家"

        taken = client.post(
            "/api/signup",
            json={"email": email, "password": "correct horse 1", "household": "x", "name": "x"},
        )
        assert taken.status_code == 400 and "already" in taken.json()["message"]

        assert client.post("/api/logout").status_code == 200
        assert client.get("/api/me").status_code == 401
        # The token from the body works as a bearer token... until it is signed out.
        bearer = {"Authorization": f"Bearer {body['token']}"}
        assert client.get("/api/me", headers=bearer).status_code == 401

        wrong = client.post("/api/login", json={"email": email, "password": "wrong password"})
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_credentials"
        logged = client.post("/api/login", json={"email": email, "password": "correct horse 1"})
        assert logged.status_code == 200
        token = logged.json()["token"]
        client.cookies.clear()
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["member"]["name"] == "Lin"


def test_routes_need_a_session(hub: HubProcess) -> None:
    with anonymous(hub) as client:
        for method, path in [
            ("GET", "/api/devices"),
            ("GET", "/api/history"),
            ("DELETE", "/api/history"),
            ("GET", "/api/schedule"),
            ("POST", "/api/ask"),
            ("POST", "/api/announce"),
            ("POST", "/api/pair/confirm"),
            ("PATCH", "/api/devices/x"),
            ("DELETE", "/api/devices/x"),
        ]:
            answer = client.request(method, path, json={"text": "hi"})
            assert answer.status_code == 401, (method, path)
            assert answer.json()["error"] == "not_signed_in"
        forged = client.get("/api/me", headers={"Authorization": "Bearer not-a-session"})
        assert forged.status_code == 401


# -- pairing -------------------------------------------------------------------------------


async def test_pairing_connect_and_revoke(hub: HubProcess, ann: Console) -> None:
    with anonymous(hub) as speaker:
        waiting = speaker.post("/api/devices/pair", json={"name": "Hall", "room": "hall"}).json()
        assert waiting["verification_uri"] == f"{hub.url}/#pair"
        assert waiting["verification_uri_complete"].endswith(f"?code={waiting['user_code']}")
        assert waiting["interval"] == 5 and waiting["expires_in"] == 900
        pending = poll(speaker, waiting["device_code"])
        assert (pending.status_code, pending.json()["error"]) == (400, "authorization_pending")
        hasty = poll(speaker, waiting["device_code"])
        assert hasty.json()["error"] == "slow_down"

        grant = speaker.post("/api/devices/pair", json={"name": "Kitchen"}).json()
        typed = grant["user_code"].lower().replace("-", " ")
        device = ann.client.post("/api/pair/confirm", json={"user_code": typed, "room": "kitchen"})
        assert device.status_code == 201, device.text
        assert device.json()["room"] == "kitchen"
        assert device.json()["state"] == "offline"
        token = poll(speaker, grant["device_code"])
        assert token.status_code == 200
        assert token.json()["token_type"] == "Bearer"
        assert token.json()["device_id"] == device.json()["id"]
        again = poll(speaker, grant["device_code"])
        assert again.json()["error"] == "expired_token"  # the token is given once
    device_id = token.json()["device_id"]

    async with connect(hub, token.json()["access_token"]) as socket:
        await socket.send(encode_event(wire.Describe()))
        info = await receive(socket, wire.Info)
        assert info.role == "hub"
        await socket.send(encode_event(wire.SatelliteState(state="listening")))
        for _ in range(50):
            listed = {d["id"]: d for d in ann.client.get("/api/devices").json()}
            if listed[device_id]["state"] == "listening":
                break
            await asyncio.sleep(0.1)
        assert listed[device_id]["connected"] is True
        assert listed[device_id]["state"] == "listening"

        revoked = ann.client.delete(f"/api/devices/{device_id}")
        assert revoked.status_code == 200
        async with asyncio.timeout(3):  # at once, not at the next reconnect
            error = await receive(socket, wire.Error)
            assert (error.code, error.fatal) == ("revoked", True)
            with pytest.raises(ConnectionClosed):
                while True:
                    await socket.recv()
    assert device_id not in {d["id"] for d in ann.client.get("/api/devices").json()}
    with pytest.raises(InvalidStatus) as refused:
        async with connect(hub, token.json()["access_token"]):
            pass
    assert refused.value.response.status_code == 403
    assert ann.client.delete(f"/api/devices/{device_id}").status_code == 404


def test_denied_and_wrong_codes(hub: HubProcess, ann: Console) -> None:
    with anonymous(hub) as speaker:
        grant = speaker.post("/api/devices/pair", json={"name": "Den"}).json()
        denied = ann.client.post("/api/pair/deny", json={"user_code": grant["user_code"]})
        assert denied.status_code == 200
        assert poll(speaker, grant["device_code"]).json()["error"] == "access_denied"
        used = ann.client.post("/api/pair/confirm", json={"user_code": grant["user_code"]})
        assert (used.status_code, used.json()["error"]) == (400, "code_used")
        answers = [
            ann.client.post("/api/pair/confirm", json={"user_code": "BCDF-GHJK"}) for _ in range(5)
        ]
    assert answers[0].status_code == 400
    assert answers[0].json()["error"] == "invalid_code"
    assert answers[-1].status_code == 429
    assert answers[-1].json()["error"] == "too_many_attempts"
    assert int(answers[-1].headers["retry-after"]) > 0


def test_rename_and_move(hub: HubProcess, ann: Console) -> None:
    device_id = ann.pair("Desk", "study")["device_id"]
    moved = ann.client.patch(f"/api/devices/{device_id}", json={"name": "书桌", "room": ""})
    assert moved.status_code == 200
    assert (moved.json()["name"], moved.json()["room"]) == ("书桌", None)
    bad = ann.client.patch(f"/api/devices/{device_id}", json={"name": ""})
    assert bad.status_code == 400


# -- household isolation -------------------------------------------------------------------


def test_households_are_isolated(hub: HubProcess, ann: Console, bob: Console) -> None:
    device_id = ann.pair("Ann's kitchen", "kitchen")["device_id"]
    ann.client.post("/api/ask", json={"text": "set a timer for 7 minutes", "device_id": device_id})
    assert ann.client.get("/api/history").json()
    assert ann.client.get("/api/schedule").json()

    assert bob.client.get("/api/devices").json() == []
    assert bob.client.get("/api/history").json() == []
    assert bob.client.get(f"/api/history?device_id={device_id}").json() == []
    assert bob.client.get("/api/schedule").json() == []
    for answer in (
        bob.client.patch(f"/api/devices/{device_id}", json={"name": "mine"}),
        bob.client.delete(f"/api/devices/{device_id}"),
        bob.client.post("/api/ask", json={"text": "what time is it", "device_id": device_id}),
        bob.client.post(f"/api/ask/audio?device_id={device_id}", content=b"RIFF"),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"] == "not_found"
    assert bob.client.delete(f"/api/history?device_id={device_id}").json() == {"deleted": 0}
    assert bob.client.post("/api/announce", json={"text": "hello"}).json() == {"reached": []}

    # A code that Bob approves pairs the speaker into Bob's household, never Ann's.
    bobs = bob.pair("Bob's speaker")["device_id"]
    assert bobs not in {d["id"] for d in ann.client.get("/api/devices").json()}
    assert [d["id"] for d in bob.client.get("/api/devices").json()] == [bobs]
    assert [d["id"] for d in ann.client.get("/api/devices").json()] == [device_id]
    assert ann.client.get("/api/history").json()  # untouched by Bob


# -- talking -------------------------------------------------------------------------------


def test_ask_history_and_delete(ann: Console) -> None:
    answer = ann.client.post("/api/ask", json={"text": "what time is it", "speak": True})
    assert answer.status_code == 200
    result = answer.json()["result"]
    assert result["intent"] == "TimeGet" and result["reply"]
    assert "audio_wav_base64" not in answer.json()  # a --no-voice hub has no speech
    ann.client.post("/api/ask", json={"text": "现在几点"})
    entries = ann.client.get("/api/history?limit=10").json()
    assert [e["text"] for e in entries] == ["现在几点", "what time is it"]
    assert entries[1]["device_id"].startswith("console-")
    assert entries[1]["user_id"] == ann.client.get("/api/me").json()["member"]["id"]
    assert ann.client.get("/api/history?limit=1").json()[0]["text"] == "现在几点"
    assert ann.client.delete("/api/history").json() == {"deleted": 2}
    assert ann.client.get("/api/history").json() == []
    assert ann.client.get("/api/history?limit=0").status_code == 400


def test_schedule_shows_a_timer(ann: Console) -> None:
    answer = ann.client.post("/api/ask", json={"text": "set a timer for 10 minutes"})
    assert answer.json()["result"]["intent"] == "TimerStart"
    items = ann.client.get("/api/schedule").json()
    assert len(items) == 1
    item = items[0]
    assert (item["kind"], item["state"], item["recurrence"]) == ("timer", "pending", None)
    assert item["due_at"] and item["device_id"].startswith("console-")


async def test_announce_reaches_a_connected_speaker(hub: HubProcess, ann: Console) -> None:
    paired = ann.pair("Living room speaker", "living room")
    async with connect(hub, paired["access_token"]) as socket:
        await socket.send(encode_event(wire.Describe()))
        await receive(socket, wire.Info)
        reached = ann.client.post("/api/announce", json={"text": "Dinner is ready"})
        assert reached.json() == {"reached": [paired["device_id"]]}
        event = await receive(socket, wire.Announce)
        assert (event.text, event.language) == ("Dinner is ready", "en")
        nowhere = ann.client.post("/api/announce", json={"text": "hi", "room": "attic"})
        assert nowhere.json() == {"reached": []}
        chinese = ann.client.post("/api/announce", json={"text": "吃饭了", "room": "Living Room"})
        assert chinese.json() == {"reached": [paired["device_id"]]}
        event = await receive(socket, wire.Announce)
        assert (event.text, event.language) == ("吃饭了", "zh")
        with pytest.raises(TimeoutError):  # a --no-voice hub sends no audio
            await receive(socket, wire.AudioStart, timeout_s=0.5)


# -- bad input -----------------------------------------------------------------------------


def test_bad_input_gets_clear_json_errors(hub: HubProcess, ann: Console) -> None:
    client = ann.client

    def refused(answer: httpx.Response, status: int, code: str) -> None:
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json()["error"] == code
        assert answer.json()["message"]
        assert "Traceback" not in answer.text

    refused(client.post("/api/ask", content=b"{not json"), 400, "bad_json")
    refused(client.post("/api/ask", json=["a list"]), 400, "bad_json")
    refused(client.post("/api/ask", json={"text": "   "}), 400, "empty_text")
    refused(client.post("/api/ask", json={}), 400, "missing_field")
    refused(client.post("/api/ask", json={"text": 42}), 400, "bad_field")
    refused(client.post("/api/ask", json={"text": "x" * 1001}), 400, "too_long")
    refused(client.post("/api/ask", json={"text": "hi", "speak": "yes"}), 400, "bad_field")
    huge = b'{"text": "' + b"x" * (9 * 1024 * 1024) + b'"}'
    refused(client.post("/api/ask", content=huge), 413, "too_large")

    def chunked() -> Iterator[bytes]:  # no Content-Length: the streamed size is checked
        for _ in range(200):
            yield b"x" * 65536

    refused(client.post("/api/ask/audio", content=chunked()), 413, "too_large")
    refused(client.post("/api/ask/audio", content=b"not audio at all"), 415, "unsupported_audio")
    riff = b"RIFF" + b"\0" * 100
    refused(client.post("/api/ask/audio", content=riff), 503, "unavailable")  # --no-voice
    refused(
        client.post("/api/signup", json={"email": "bad", "password": "x"}), 400, "missing_field"
    )
    with anonymous(hub) as speaker:
        wrong = speaker.post(
            "/api/devices/token", json={"grant_type": "password", "device_code": "x"}
        )
        refused(wrong, 400, "unsupported_grant_type")
        form = speaker.post("/api/devices/token", data={"grant_type": GRANT, "device_code": "x"})
        refused(form, 400, "invalid_grant")
        refused(speaker.post("/api/devices/pair", json={"name": ""}), 400, "bad_request")
    refused(client.patch("/api/devices/nope", json={"name": "x"}), 404, "not_found")


def test_openapi_covers_every_route(hub: HubProcess) -> None:
    with anonymous(hub) as client:
        document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"session", "bearer"} <= set(document["components"]["securitySchemes"])
    for route in api_routes():
        assert route.path in document["paths"], route.path
        described = {m.lower() for m in document["paths"][route.path]}
        for method in route.methods or ():
            if method != "HEAD":
                assert method.lower() in described, (route.path, method)


def test_rate_limits_answer_429_with_retry_after() -> None:
    now = [0.0]
    limit = RateLimit(count=2, window_s=60.0, clock=lambda: now[0])
    limit.check("10.0.0.1")
    limit.check("10.0.0.1")
    with pytest.raises(ApiError) as refused:
        limit.check("10.0.0.1")
    assert (refused.value.status, refused.value.code) == (429, "rate_limited")
    assert refused.value.headers == {"Retry-After": "60"}
    limit.check("10.0.0.2")  # per client
    now[0] = 60.0
    limit.check("10.0.0.1")  # the window moved on
