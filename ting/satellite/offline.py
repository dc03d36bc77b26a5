"""Timers and alarms without the hub: the last ``schedule`` and the log of local rings.

The hub sends every pending item of this speaker in ``schedule`` (items of ``item_id``,
``kind``, ``label``, ``due_at`` ISO 8601 UTC, ``language``, ``text``). While the hub is
connected it rings them itself (``notification``, which marks the item done here); when an item
falls due while the hub is unreachable, ``take_due`` hands it to the satellite to ring and adds
``{item_id, due_at, rang_at}`` to the rang log, reported once with ``rang-offline`` on the next
connection. Both files live in the state directory and are written atomically (temp + rename),
so a restart neither loses an alarm nor rings one twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_LOGGER = logging.getLogger(__name__)
SCHEDULE_FILE = "schedule.json"
RANG_FILE = "rang.json"
_DONE_KEEP = 256
"""Item ids remembered as done (rung by the hub or locally) beyond the current schedule."""


def write_json_atomic(path: Path, value: Any, *, mode: int = 0o644) -> None:
    """Write JSON beside ``path`` and rename it into place: whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def parse_due(value: Any) -> datetime | None:
    """An ISO 8601 time as aware UTC; None when it is not one (naive times are UTC)."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def iso_utc(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class OfflineSchedule:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.items: list[dict[str, Any]] = []
        self.done: list[str] = []
        """Item ids already rung (by the hub's notification or here), oldest first."""
        self.rang: list[dict[str, Any]] = []
        """Local rings not yet reported to the hub."""
        self._load()

    # -- persistence ------------------------------------------------------------------------

    def _load(self) -> None:
        schedule = self._read(self.state_dir / SCHEDULE_FILE)
        if isinstance(schedule, dict):
            self.items = [i for i in schedule.get("items", []) if _valid(i)]
            self.done = [str(i) for i in schedule.get("done", []) if isinstance(i, str)]
        rang = self._read(self.state_dir / RANG_FILE)
        if isinstance(rang, list):
            self.rang = [r for r in rang if isinstance(r, dict) and "item_id" in r]

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            _LOGGER.warning("ignoring %s: %s", path, error)
            return None

    def _save_schedule(self) -> None:
        write_json_atomic(
            self.state_dir / SCHEDULE_FILE, {"items": self.items, "done": self.done[-_DONE_KEEP:]}
        )

    def _save_rang(self) -> None:
        write_json_atomic(self.state_dir / RANG_FILE, self.rang)

    # -- what the hub says ------------------------------------------------------------------

    def replace(self, items: list[dict[str, Any]]) -> None:
        """The hub's ``schedule``: it replaces the local one (and is persisted)."""
        valid = [dict(i) for i in items if _valid(i)]
        if len(valid) != len(items):
            _LOGGER.warning("schedule: ignored %d malformed item(s)", len(items) - len(valid))
        self.items = valid
        self._save_schedule()

    def mark_notified(self, item_id: str) -> None:
        """The hub rang this item (``notification``): never ring it here too."""
        if item_id not in self.done:
            self.done.append(item_id)
        self.items = [i for i in self.items if i["item_id"] != item_id]
        self._save_schedule()

    # -- ringing without the hub ------------------------------------------------------------

    def take_due(
        self, now: datetime, *, grace_s: float = 0.0, max_late_s: float = 3600.0
    ) -> list[dict[str, Any]]:
        """Items due at ``now`` (minus ``grace_s``) that were not rung yet: marked rung here and
        logged for the hub. Items more than ``max_late_s`` overdue are dropped unrung."""
        due: list[dict[str, Any]] = []
        keep: list[dict[str, Any]] = []
        for item in self.items:
            when = parse_due(item["due_at"])
            assert when is not None  # _valid checked it
            if item["item_id"] in self.done:
                continue
            if now < when + timedelta(seconds=grace_s):
                keep.append(item)
            elif (now - when).total_seconds() > max_late_s:
                _LOGGER.warning("dropping %s: %s overdue", item["item_id"], now - when)
                self.done.append(item["item_id"])
            else:
                due.append(item)
        if len(keep) == len(self.items):
            return []
        for item in due:
            self.done.append(item["item_id"])
            self.rang.append(
                {"item_id": item["item_id"], "due_at": item["due_at"], "rang_at": iso_utc(now)}
            )
        self.items = keep
        if due:
            self._save_rang()
        self._save_schedule()
        return due

    def next_due(self) -> datetime | None:
        times = [parse_due(i["due_at"]) for i in self.items if i["item_id"] not in self.done]
        return min((t for t in times if t is not None), default=None)

    # -- reporting ----------------------------------------------------------------------------

    def unreported(self) -> list[dict[str, Any]]:
        return list(self.rang)

    def reported(self, items: list[dict[str, Any]]) -> None:
        """These rings reached the hub (``rang-offline`` was sent): forget them."""
        sent = {(r["item_id"], r.get("rang_at")) for r in items}
        self.rang = [r for r in self.rang if (r["item_id"], r.get("rang_at")) not in sent]
        self._save_rang()


def _valid(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("item_id"), str)
        and parse_due(item.get("due_at")) is not None
    )
