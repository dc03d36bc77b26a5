"""Settings of the hub (``ting serve``), one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ting.protocol import FrameLimits
from ting.settings import AssistantSettings


@dataclass(frozen=True)
class HubSettings:
    assistant: AssistantSettings
    host: str = "127.0.0.1"
    port: int = 8765
    voice: bool = True
    """Load the speech engines (False: a text-only hub, for tests and tiny machines)."""
    allow_signup: bool = True
    """Anyone who reaches the console may create a household (a self-hosted home); a device
    maker's fleet turns it off and creates households through its own back office."""
    arbitration_window_s: float = 0.3
    """Seconds to wait for other speakers that heard the same wake word."""
    max_voice_streams: int = 8
    """Commands heard at the same time; more wait their turn."""
    send_timeout_s: float = 10.0
    """A satellite that takes longer to accept one frame is disconnected."""
    audio_gap_s: float = 5.0
    """Seconds without audio after which a command stream counts as ended."""
    limits: FrameLimits = field(default_factory=FrameLimits)
    max_request_bytes: int = 8 * 1024 * 1024
    """Largest REST request body (an uploaded command recording)."""
    wyoming_port: int | None = None
    """TCP port of the Wyoming services (asr, tts, handle) for Home Assistant; None: off."""
    wyoming_household: str = "home"
    """The household whose conversations Wyoming's ``handle`` service speaks for."""
    console_dir: Path | None = None
    """Serve the browser console from here instead of the packaged one."""

    @property
    def accounts_path(self) -> Path:
        return self.assistant.data_dir / "accounts.db"
