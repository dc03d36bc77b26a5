"""The bundled jokes and fun facts (``data/<lang>.yaml``) and the rule for picking the next one.

Each speaker hears every item of a collection once before any repeats: the ids already told are
kept per device, language and kind, and ``pick`` chooses among the rest. When all have been told,
the round starts over (never with the item just told).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from ting.errors import SkillLoadError
from ting.yamlfile import read_yaml

Kind = Literal["jokes", "facts"]
KINDS: tuple[Kind, ...] = ("jokes", "facts")
CONTENT_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Pick:
    item_id: str
    told: tuple[str, ...]
    """The ids told in this round, the new one last (what to store)."""
    restarted: bool
    """Every item had been told: this pick began a new round."""


@cache
def collection(language: str, kind: Kind) -> Mapping[str, str]:
    """Id -> text of one kind in one language; ``SkillLoadError`` when the file is broken."""
    return load_collection(CONTENT_DIR / f"{language}.yaml", kind)


def load_collection(path: Path, kind: Kind) -> dict[str, str]:
    try:
        raw = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as err:
        raise SkillLoadError(f"{path}: cannot read: {err}") from err
    items = raw.get(kind) if isinstance(raw, dict) else None
    if not isinstance(items, dict) or not items:
        raise SkillLoadError(f"{path}: needs a non-empty mapping {kind!r} of id -> text")
    texts = {str(key): value for key, value in items.items()}
    bad = [key for key, value in texts.items() if not isinstance(value, str) or not value.strip()]
    if bad:
        raise SkillLoadError(f"{path}: {kind} {', '.join(bad)} need a text")
    return texts


def pick(ids: Sequence[str], told: Sequence[str], rng: random.Random) -> Pick:
    """The next item: one not told yet, or, when all were, any but the last one told."""
    if not ids:
        raise ValueError("nothing to pick from")
    known = [item for item in told if item in ids]
    fresh = [item for item in ids if item not in known]
    if fresh:
        choice = rng.choice(fresh)
        return Pick(choice, (*known, choice), restarted=False)
    last = known[-1] if known else None
    choice = rng.choice([item for item in ids if item != last] or list(ids))
    return Pick(choice, (choice,), restarted=True)
