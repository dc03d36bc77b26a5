"""``ting satellite pair`` against a tiny real HTTP server speaking RFC 8628's answers."""

from __future__ import annotations

import io
import json
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ting.satellite.cli import main
from ting.satellite.pairing import GRANT_TYPE, PairingError, pair
from ting.satellite.settings import read_pairing


class DeviceFlow:
    """The hub's side: answers ``/api/devices/token`` from a script of (status, body)."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]], interval: float = 0.01):
        self.answers = answers
        self.interval = interval
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.pair_status = 200


@pytest.fixture
def flow_server() -> Iterator[tuple[str, list[DeviceFlow]]]:
    holder: list[DeviceFlow] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            flow = holder[0]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            flow.requests.append((self.path, body))
            if self.path == "/api/devices/pair" and flow.pair_status != 200:
                self._reply(flow.pair_status, {"error": "nope"})
            elif self.path == "/api/devices/pair":
                self._reply(
                    200,
                    {
                        "device_code": "dev-123",
                        "user_code": "BCDF-GHJK",
                        "verification_uri": "http://hub/#pair",
                        "expires_in": 600,
                        "interval": flow.interval,
                    },
                )
            elif self.path == "/api/devices/token":
                self._reply(*flow.answers.pop(0))
            else:
                self._reply(404, {"error": "not_found"})

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", holder
    server.shutdown()
    server.server_close()


PENDING = (400, {"error": "authorization_pending"})
GRANTED = (200, {"access_token": "tok-abc", "token_type": "Bearer", "device_id": "dev-7"})


def test_pair_cli_saves_the_token(
    flow_server: tuple[str, list[DeviceFlow]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, holder = flow_server
    holder.append(DeviceFlow([PENDING, PENDING, GRANTED]))
    state = tmp_path / "state"
    code = main(
        ["pair", "--hub", url, "--name", "Kitchen", "--room", "kitchen", "--state-dir", str(state)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"Enter the code BCDF-GHJK in the Ting console ({url}/#pair)" in out
    path = state / "satellite.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {
        "hub": url,
        "device_id": "dev-7",
        "token": "tok-abc",
        "name": "Kitchen",
        "room": "kitchen",
    }
    pairing = read_pairing(state)
    assert pairing is not None and pairing.token == "tok-abc"
    flow = holder[0]
    assert flow.requests[0] == ("/api/devices/pair", {"name": "Kitchen", "room": "kitchen"})
    assert (
        flow.requests[1:]
        == [("/api/devices/token", {"grant_type": GRANT_TYPE, "device_code": "dev-123"})] * 3
    )


def test_slow_down_adds_five_seconds(
    flow_server: tuple[str, list[DeviceFlow]], tmp_path: Path
) -> None:
    url, holder = flow_server
    holder.append(DeviceFlow([(400, {"error": "slow_down"}), PENDING, GRANTED], interval=1.0))
    waits: list[float] = []
    pairing = pair(url, "Den", tmp_path, out=io.StringIO(), sleep=waits.append)
    assert waits == [1.0, 6.0, 6.0]
    assert pairing.device_id == "dev-7" and pairing.room is None


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("access_denied", "refused in the Ting console"),
        ("expired_token", "expired"),
        ("invalid_grant", "no longer knows"),
    ],
)
def test_refusals_exit_1_with_a_clear_message(
    flow_server: tuple[str, list[DeviceFlow]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    error: str,
    message: str,
) -> None:
    url, holder = flow_server
    holder.append(DeviceFlow([PENDING, (400, {"error": error})]))
    code = main(["pair", "--hub", url, "--name", "K", "--state-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "satellite.json").exists()


def test_unreachable_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["pair", "--hub", "http://127.0.0.1:9", "--name", "K", "--state-dir", str(tmp_path)]
    )
    assert code == 1
    assert "cannot reach the hub" in capsys.readouterr().err


def test_not_a_hub(flow_server: tuple[str, list[DeviceFlow]], tmp_path: Path) -> None:
    url, holder = flow_server
    holder.append(DeviceFlow([]))
    with pytest.raises(PairingError, match="not a hub address"):
        pair("ftp://x", "K", tmp_path, out=io.StringIO())
    holder[0].pair_status = 404
    with pytest.raises(PairingError, match="does not look like a Ting hub"):
        pair(url, "K", tmp_path, out=io.StringIO())
    holder[0].pair_status = 429
    with pytest.raises(PairingError, match=r"refused to start pairing \(HTTP 429\): nope"):
        pair(url, "K", tmp_path, out=io.StringIO())


def test_run_without_pairing_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "run",
            "--state-dir",
            str(tmp_path),
            "--input",
            "inbox:" + str(tmp_path / "in"),
            "--output",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "not paired" in capsys.readouterr().err
