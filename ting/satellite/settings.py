"""``SatelliteSettings``: everything a satellite run is told, parsed once by the CLI.

The pairing record (``satellite.json`` in the state directory: hub, device id, token, name,
room) is written by ``ting satellite pair`` and read here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ting.errors import ConfigError
from ting.satellite.backoff import BackoffSettings

PAIRING_FILE = "satellite.json"
SATELLITE_PATH = "/ws/satellite"


def default_state_dir() -> Path:
    """``$TING_SATELLITE_DIR``, else ``$XDG_STATE_HOME/ting/satellite`` (~/.local/state/…)."""
    explicit = os.environ.get("TING_SATELLITE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).expanduser() / "ting" / "satellite"


@dataclass(frozen=True)
class Pairing:
    """What ``ting satellite pair`` saved."""

    hub: str
    """The hub's base URL as given to ``pair`` (http://HOST:PORT)."""
    device_id: str
    token: str
    name: str
    room: str | None = None


def read_pairing(state_dir: Path) -> Pairing | None:
    path = state_dir / PAIRING_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Pairing(
            hub=str(data["hub"]),
            device_id=str(data["device_id"]),
            token=str(data["token"]),
            name=str(data.get("name") or "satellite"),
            room=data.get("room"),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path} is not a pairing record ({error}); pair again") from None


def websocket_url(hub: str) -> str:
    """The satellite endpoint of a hub given as http(s)://HOST:PORT or ws(s)://HOST:PORT[/path]:
    http becomes ws, https wss; without a path, /ws/satellite is added."""
    parts = urlsplit(hub if "://" in hub else f"http://{hub}")
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise ConfigError(f"{hub!r} is not a hub address (try http://HOST:PORT)")
    path = parts.path if parts.path not in ("", "/") else SATELLITE_PATH
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


@dataclass(frozen=True)
class SatelliteSettings:
    hub_url: str
    """WebSocket URL of the hub's satellite endpoint (ws://HOST:PORT/ws/satellite)."""
    token: str
    """The device token from pairing (sent as ``Authorization: Bearer``)."""
    state_dir: Path
    """Folder for the pairing record, the persisted schedule, the rang log and the ``muted``
    switch file."""
    name: str = "satellite"
    """What this speaker is called (``info.name``)."""
    device_id: str | None = None
    room: str | None = None
    language: str = "en"
    """Language of the satellite's own words ("I can't reach the hub"): "en" or "zh"."""
    wake_words: tuple[str, ...] = ("okay_nabu",)
    """microWakeWord model names (``ting.wake.builtin_models()``)."""
    wake_cutoff: float | None = None
    """Wake probability cutoff (0..1) for every model, lower wakes more easily; None: each
    model's own."""
    muted: bool = False
    """Start muted (the switch; SIGUSR1 toggles it)."""
    block_ms: int = 40
    """Milliseconds of audio per captured block and per streamed ``audio-chunk``."""
    max_command_s: float = 15.0
    """Seconds of command audio streamed at most after a wake."""
    reply_timeout_s: float = 20.0
    """Seconds THINKING waits for the hub's reply or run end before giving up."""
    follow_up_s: float = 5.0
    """Seconds to listen without the wake word after Ting asked a question."""
    pre_roll_s: float = 0.3
    """Seconds of audio before the detected speech start sent with a follow-up."""
    level_window_s: float = 1.0
    """Seconds of audio (ending at the detection) whose RMS level is the wake's ``level_db``."""
    mute_poll_s: float = 0.1
    """Seconds between two looks at the ``muted`` file."""
    offline_check_s: float = 0.5
    """Seconds between two looks at the schedule while the hub is unreachable."""
    offline_grace_s: float = 2.0
    """Seconds after an item's due time before it rings locally (the hub may be late)."""
    offline_max_late_s: float = 3600.0
    """Seconds; an item found more overdue than this (the device was off) is dropped."""
    backoff: BackoffSettings = field(default_factory=BackoffSettings)
    open_timeout_s: float = 5.0
    """Seconds a connection attempt (TCP + handshake) may take."""
    ping_interval_s: float = 10.0
    """Seconds between WebSocket pings; a hub silent for twice this is taken as gone."""

    def __post_init__(self) -> None:
        if self.language not in ("en", "zh"):
            raise ConfigError(f"satellite language must be en or zh, not {self.language!r}")
        if not self.wake_words:
            raise ConfigError("choose at least one wake word")
        if self.wake_cutoff is not None and not 0.0 < self.wake_cutoff < 1.0:
            raise ConfigError("the wake sensitivity (a cutoff) must be between 0 and 1")
        if not 10 <= self.block_ms <= 80 or self.block_ms % 10:
            raise ConfigError("block_ms must be 10, 20, … or 80")
