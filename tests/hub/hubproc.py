"""A real hub process (``python -m ting serve --port 0``) for tests, and the REST calls that
set up households and pair speakers through its public API."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
LISTENING = re.compile(r"Ting hub listening on (http://\S+)")
WYOMING = re.compile(r"Wyoming services on tcp://\S+:(\d+)")


def cache(variable: str, name: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path(tempfile.gettempdir()) / name


def hub_env(data_dir: Path) -> dict[str, str]:
    voices = SHARED / "data" / "voices" / "kokoro-zh"
    env = {
        **os.environ,
        "TING_DATA_DIR": str(data_dir),
        "TING_TIMEZONE": "UTC",
        "TING_MODELS_DIR": str(cache("TING_MODELS_DIR", "ting-test-nlu")),
        "TING_MODEL_CACHE": str(cache("TING_MODEL_CACHE", "ting-test-models")),
        "TING_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if voices.is_dir():
        env["TING_VOICES_DIR"] = str(voices)
    return env


class HubProcess:
    """``ting serve`` in a subprocess; ``start`` waits for its "listening" line."""

    def __init__(
        self, data_dir: Path, *, voice: bool = False, port: int = 0, wyoming: bool = False
    ) -> None:
        self.data_dir = data_dir
        self.voice = voice
        self.port = port
        self.wyoming = wyoming
        self.wyoming_port = 0
        self.url = ""
        self.proc: subprocess.Popen[str] | None = None
        self.log = data_dir / "hub.log"

    def start(self, timeout_s: float = 240.0) -> HubProcess:
        args = [sys.executable, "-m", "ting", "serve", "--port", str(self.port)]
        if not self.voice:
            args.append("--no-voice")
        if self.wyoming:
            args += ["--wyoming-port", str(self.wyoming_port)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=log, text=True, env=hub_env(self.data_dir)
            )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the hub exited: {self.log.read_text()[-3000:]}")
                continue
            wyoming = WYOMING.search(line)
            if wyoming:
                self.wyoming_port = int(wyoming.group(1))
            found = LISTENING.search(line)
            if found:
                self.url = found.group(1)
                self.port = int(self.url.rsplit(":", 1)[1])
                return self
        raise TimeoutError(f"the hub did not start: {self.log.read_text()[-3000:]}")

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws/satellite"

    def kill(self, signum: int = signal.SIGKILL) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signum)
                self.proc.wait(timeout=30)
            if self.proc.stdout is not None:
                self.proc.stdout.close()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


class Console:
    """A signed-in member, through the REST API (what the browser console does)."""

    def __init__(self, hub: HubProcess) -> None:
        self.client = httpx.Client(base_url=hub.url, timeout=60.0)

    def signup(self, email: str, household: str, password: str = "correct horse 1") -> Any:
        done = self.client.post(
            "/api/signup",
            json={"email": email, "password": password, "household": household, "name": email},
        )
        done.raise_for_status()
        return done.json()

    def pair(self, name: str, room: str | None = None) -> dict[str, Any]:
        """Pair a speaker the RFC 8628 way: start, approve its code as this member, poll."""
        start = self.client.post("/api/devices/pair", json={"name": name, "room": room})
        start.raise_for_status()
        grant = start.json()
        approved = self.client.post(
            "/api/pair/confirm", json={"user_code": grant["user_code"], "room": room}
        )
        approved.raise_for_status()
        token = self.client.post(
            "/api/devices/token",
            json={
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "device_code": grant["device_code"],
            },
        )
        token.raise_for_status()
        body: dict[str, Any] = token.json()
        return body

    def close(self) -> None:
        self.client.close()
