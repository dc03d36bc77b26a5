"""The smalltalk skill's bundled jokes and facts, and the rule that picks the next one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ting.errors import SkillLoadError
from ting.skills.builtin.smalltalk import greeting_key
from ting.skills.builtin.smalltalk.content import KINDS, Kind, collection, load_collection, pick

MIN_ITEMS = 25


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", KINDS)
def test_collections_are_big_enough(language: str, kind: Kind) -> None:
    items = collection(language, kind)
    assert len(items) >= MIN_ITEMS
    assert len(set(items.values())) == len(items), "an item is there twice"


def test_every_item_is_told_once_per_round() -> None:
    ids = [f"j{i}" for i in range(30)]
    rng = random.Random(3)
    told: tuple[str, ...] = ()
    heard = []
    for _ in ids:
        chosen = pick(ids, told, rng)
        assert not chosen.restarted
        heard.append(chosen.item_id)
        told = chosen.told
    assert sorted(heard) == sorted(ids)
    again = pick(ids, told, rng)
    assert again.restarted
    assert again.item_id != heard[-1]
    assert again.told == (again.item_id,)


def test_pick_ignores_ids_that_are_gone() -> None:
    chosen = pick(["a", "b"], ["a", "old"], random.Random(0))
    assert chosen.item_id == "b"
    assert chosen.told == ("a", "b")


def test_pick_with_one_item_repeats_it() -> None:
    assert pick(["only"], ["only"], random.Random(0)).item_id == "only"


def test_pick_needs_items() -> None:
    with pytest.raises(ValueError, match="nothing"):
        pick([], [], random.Random(0))


def test_broken_collection_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text("jokes:\n  j01: ''\nfacts: {}\n", encoding="utf-8")
    with pytest.raises(SkillLoadError, match="j01"):
        load_collection(path, "jokes")
    with pytest.raises(SkillLoadError, match="facts"):
        load_collection(path, "facts")


@pytest.mark.parametrize(
    ("hour", "key"),
    [
        (3, "greet_night"),
        (5, "greet_morning"),
        (11, "greet_morning"),
        (12, "greet_afternoon"),
        (18, "greet_evening"),
        (22, "greet_evening"),
        (23, "greet_night"),
    ],
)
def test_greeting_fits_the_time_of_day(hour: int, key: str) -> None:
    assert greeting_key(hour) == key
