"""The mute switch: a flag (``--muted``, toggled by SIGUSR1) or the file ``STATE_DIR/muted``
(a hardware switch's script creates and removes it). Either one means muted.

``is_muted`` looks at the file every time it is asked, so the sender's check
(``HubConnection.send``) never trusts a stale poll; the runner polls it for the state machine.
"""

from __future__ import annotations

import logging
from pathlib import Path

_LOGGER = logging.getLogger(__name__)
MUTED_FILE = "muted"


class MuteSwitch:
    def __init__(self, state_dir: Path, *, muted: bool = False) -> None:
        self.file = state_dir / MUTED_FILE
        self._flag = muted

    def is_muted(self) -> bool:
        return self._flag or self.file.exists()

    def toggle(self) -> None:
        """Flip the flag (SIGUSR1); the file, when present, keeps it muted regardless."""
        self._flag = not self._flag
        _LOGGER.info("mute switch %s", "on" if self._flag else "off")

    def set(self, muted: bool) -> None:
        self._flag = muted
