"""The satellite's event journal: one JSON object per line, for tests, LEDs and debugging.

Every record has ``at`` (wall clock, ISO 8601 UTC with milliseconds) and ``event`` (its kind),
then the kind's fields. Kinds: ``state`` (state, from), ``connected`` (hub), ``disconnected``
(reason), ``wake`` (run_id, model, phrase, probability, level_db, follow_up, connected),
``barge-in`` (run_id), ``unreachable`` (run_id), ``offline-ring`` (item_id, kind, due_at,
rang_at, text), ``rang-reported`` (items), ``mute`` (muted), ``played`` (purpose, run_id,
interrupted, audio_s, file), and what the hub sent: ``transcript``, ``reply``,
``notification``, ``announce``, ``run-end``, ``wake-result``, ``voice-started``,
``voice-stopped``, ``schedule``, ``error``, ``hub-info`` (the event's own fields).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

_LOGGER = logging.getLogger(__name__)


class Journal:
    def __init__(self, path: Path | None = None, *, echo: TextIO | None = None) -> None:
        """``path``: the events.jsonl file appended to; ``echo``: a stream each line is also
        written to (``--log-events``)."""
        self.path = path
        self.echo = echo
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, event: str, **fields: Any) -> None:
        at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        line = json.dumps({"at": at, "event": event, **fields}, ensure_ascii=False, default=str)
        _LOGGER.debug("%s", line)
        if self.path is not None:
            try:
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
            except OSError as error:
                _LOGGER.warning("cannot write %s: %s", self.path, error)
        if self.echo is not None:
            self.echo.write(line + "\n")
            self.echo.flush()
