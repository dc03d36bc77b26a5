"""The lists skill's pure logic: splitting items, matching them, and naming lists."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ting.skills.builtin.lists.items import (
    MAX_ITEM_CHARS,
    clean_item,
    find_item,
    item_key,
    split_items,
    too_long,
)
from ting.skills.builtin.lists.names import SHOPPING, TODO, label, list_name, looks_like_task
from ting.store.records import ListItem

NOW = datetime(2026, 11, 24, 2, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("said", "items"),
    [
        ("milk, eggs and bread", ["milk", "eggs", "bread"]),
        ("apples and also some bananas", ["apples", "bananas"]),
        ("coffee beans plus sugar", ["coffee beans", "sugar"]),
        ("chips, salsa, and guacamole", ["chips", "salsa", "guacamole"]),
        ("mac and cheese", ["mac and cheese"]),
        ("Salt and Pepper and a tent", ["Salt and Pepper", "tent"]),
        ("fish and chips and ketchup", ["fish and chips", "ketchup"]),
        ("a dozen eggs too", ["a dozen eggs"]),
        ("the ginger", ["ginger"]),
        ("call the plumber", ["call the plumber"]),
        ("milk and Milk", ["milk"]),
        ("牛奶、鸡蛋还有面包", ["牛奶", "鸡蛋", "面包"]),
        ("猪肉、白菜以及豆腐都", ["猪肉", "白菜", "豆腐"]),
        ("酸奶跟饼干", ["酸奶", "饼干"]),
        ("牛奶和鸡蛋", ["牛奶", "鸡蛋"]),
        ("和牛", ["和牛"]),
        ("和牛和和果子", ["和牛", "和果子"]),
        ("点心和一点香蕉吧", ["点心", "香蕉"]),
        ("个西红柿", ["西红柿"]),
        ("coffee 和 sugar", ["coffee", "sugar"]),
    ],
)
def test_split_items(said: str, items: list[str]) -> None:
    assert split_items(said) == items


@pytest.mark.parametrize("said", ["", "and", "something", "an item", "点东西", "，、"])
def test_nothing_to_add(said: str) -> None:
    assert split_items(said) == []


def test_clean_item_keeps_quantities() -> None:
    assert clean_item("a bag of ice please") == "a bag of ice"
    assert clean_item("some fresh milk as well") == "fresh milk"


def test_item_key_ignores_case_fillers_and_spaces() -> None:
    assert item_key("Some Milk") == item_key("milk")
    assert item_key("oat milk") != item_key("milk")


def test_too_long() -> None:
    assert too_long(["x" * (MAX_ITEM_CHARS + 1)])
    assert not too_long(["x" * MAX_ITEM_CHARS, "milk"])


def _items(*texts: str, checked: tuple[str, ...] = ()) -> list[ListItem]:
    return [ListItem(i, t, t in checked, NOW, i) for i, t in enumerate(texts, start=1)]


def test_find_item() -> None:
    items = _items("milk", "oat milk", "tomatoes", "call the plumber")
    assert find_item(items, "Milk") is items[0]
    assert find_item(items, "tomato") is items[2]
    assert find_item(items, "plumber") is items[3]
    assert find_item(items, "plumber", exact=True) is None
    assert find_item(items, "bread") is None
    # "mil" is in two items: too vague to pick one.
    assert find_item(items, "mil") is None


def test_find_item_prefers_an_open_one() -> None:
    items = _items("milk", "milk", checked=("milk",))
    items[1] = ListItem(2, "milk", False, NOW, 2)
    assert find_item(items, "milk") is items[1]


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("camping", "camping"),
        ("the Camping list", "camping"),
        ("露营清单", "露营"),
        ("grocery", SHOPPING),
        ("待办事项", TODO),
        ("my list", None),
        ("", None),
        (None, None),
    ],
)
def test_list_name(said: str | None, name: str | None) -> None:
    assert list_name(said) == name


def test_looks_like_task() -> None:
    assert looks_like_task(["call mom"])
    assert looks_like_task(["pay the electricity bill"])
    assert looks_like_task(["交电费"])
    assert looks_like_task(["提醒爸爸打电话"])
    assert not looks_like_task(["milk", "eggs"])
    assert not looks_like_task(["牛奶"])
    assert not looks_like_task(["water"])


def test_label() -> None:
    assert label(SHOPPING).key == "list_shopping"
    assert label(TODO).key == "list_todo"
    assert label("camping").values == {"name": "camping"}
