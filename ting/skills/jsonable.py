"""Typed slot values as plain JSON (for ``ting ask --json``, events and the API)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any


def jsonable(value: Any) -> Any:
    """Durations become seconds, instants ISO-8601 text, dataclasses dicts; others pass through."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
