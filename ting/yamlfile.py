"""Reading Ting's YAML data files, with libyaml's C loader when PyYAML has it (several times
faster than the pure-Python one; start-up reads every skill's files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The parsed content of ``path``; ``OSError`` and ``yaml.YAMLError`` pass through."""
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)
