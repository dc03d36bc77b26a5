"""``ting satellite pair``: the OAuth 2.0 device authorization grant (RFC 8628) against the hub.

1. POST ``/api/devices/pair`` {name, room} → {device_code, user_code, verification_uri,
   expires_in, interval}; the user types ``user_code`` into the Ting console.
2. POST ``/api/devices/token`` {grant_type, device_code} every ``interval`` seconds →
   400 {"error": "authorization_pending" | "slow_down" | "expired_token" | "access_denied" |
   "invalid_grant"} or 200 {access_token, token_type, device_id}.
3. The token is saved to ``STATE_DIR/satellite.json`` (mode 0600, written atomically).

Plain ``urllib`` (the satellite stays light); every failure is a ``PairingError`` whose message
is fit for a user.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from ting.errors import TingError
from ting.satellite.offline import write_json_atomic
from ting.satellite.settings import PAIRING_FILE, Pairing

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
SLOW_DOWN_S = 5.0
"""Seconds added to the polling interval on ``slow_down`` (RFC 8628 §3.5)."""


class PairingError(TingError):
    """Pairing failed; the message says why and what to do."""


def hub_base(hub: str) -> str:
    """http(s)://HOST:PORT from what the user typed (a bare HOST:PORT is http)."""
    parts = urlsplit(hub if "://" in hub else f"http://{hub}")
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    if scheme not in ("http", "https") or not parts.netloc:
        raise PairingError(f"{hub!r} is not a hub address (try http://HOST:PORT)")
    return f"{scheme}://{parts.netloc}"


def post_json(url: str, body: dict[str, Any], timeout_s: float = 10.0) -> tuple[int, Any]:
    """POST a JSON body; (status, parsed JSON body or None). Network failures raise
    ``PairingError``."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PairingError(f"cannot reach the hub at {url}: {reason}") from None
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def pair(
    hub: str,
    name: str,
    state_dir: Path,
    *,
    room: str | None = None,
    out: TextIO,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Pairing:
    """Run the device flow; returns the saved pairing."""
    base = hub_base(hub)
    status, start = post_json(f"{base}/api/devices/pair", {"name": name, "room": room})
    if status == 404:
        raise PairingError(f"{base} does not look like a Ting hub (no pairing API)")
    if status != 200 or not isinstance(start, dict) or "device_code" not in start:
        raise PairingError(f"the hub refused to start pairing (HTTP {status}): {_why(start)}")
    user_code = str(start.get("user_code", "?"))
    interval = float(start["interval"]) if start.get("interval") is not None else 5.0
    deadline = clock() + float(start.get("expires_in") or 600)
    out.write(f"Enter the code {user_code} in the Ting console ({base}/#pair)\n")
    out.flush()
    body = {"grant_type": GRANT_TYPE, "device_code": start["device_code"]}
    while True:
        if clock() >= deadline:
            raise PairingError("the code expired before it was entered; run pair again")
        sleep(interval)
        status, answer = post_json(f"{base}/api/devices/token", body)
        if status == 200 and isinstance(answer, dict) and answer.get("access_token"):
            break
        error = answer.get("error") if isinstance(answer, dict) else None
        if status == 400 and error == "authorization_pending":
            continue
        if status == 400 and error == "slow_down":
            interval += SLOW_DOWN_S
            continue
        raise PairingError(_token_error(status, error, answer))
    pairing = Pairing(
        hub=base,
        device_id=str(answer.get("device_id") or ""),
        token=str(answer["access_token"]),
        name=name,
        room=room,
    )
    save_pairing(state_dir, pairing)
    return pairing


def save_pairing(state_dir: Path, pairing: Pairing) -> Path:
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = state_dir / PAIRING_FILE
    record = {
        "hub": pairing.hub,
        "device_id": pairing.device_id,
        "token": pairing.token,
        "name": pairing.name,
        "room": pairing.room,
    }
    write_json_atomic(path, record, mode=0o600)
    return path


def _token_error(status: int, error: Any, answer: Any) -> str:
    match error:
        case "expired_token":
            return "the code expired before it was entered; run pair again"
        case "access_denied":
            return "pairing was refused in the Ting console"
        case "invalid_grant":
            return "the hub no longer knows this pairing request; run pair again"
    return f"pairing failed (HTTP {status}): {_why(answer)}"


def _why(answer: Any) -> str:
    if isinstance(answer, dict):
        return str(answer.get("error_description") or answer.get("error") or answer)
    return "no explanation"
