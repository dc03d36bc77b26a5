"""What ``ting models`` shows: each known model, whether it is available, and from where."""

from __future__ import annotations

import sys
from typing import TextIO

from ting.errors import ConfigError
from ting.models.catalog import CATALOG
from ting.models.resolver import ModelResolver, ModelSettings, ModelStatus


def list_models(settings: ModelSettings) -> list[ModelStatus]:
    """Status of every known model; looks only (no joining, no download)."""
    resolver = ModelResolver(settings)
    statuses = []
    for name, spec in CATALOG.items():
        try:
            statuses.append(resolver.status(name))
        except ConfigError as error:  # a broken explicit path: show it, do not stop the list
            statuses.append(
                ModelStatus(name, spec.kind, spec.description, False, "explicit", None, str(error))
            )
    return statuses


def print_models(statuses: list[ModelStatus], out: TextIO | None = None) -> None:
    """A table: name, kind, available, source, path; then a note line when there is one."""
    stream = out or sys.stdout
    width = max(len(status.name) for status in statuses) if statuses else 10
    for status in statuses:
        mark = "yes" if status.available else "no"
        where = str(status.path) if status.path else "-"
        source = status.source or "-"
        print(
            f"{status.name:<{width}}  {status.kind:<6}  {mark:<3}  {source:<10}  {where}",
            file=stream,
        )
        if status.note:
            print(f"{'':<{width}}  {status.note}", file=stream)
