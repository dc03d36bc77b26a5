"""History, conversation state, lists and the per-skill key-value table."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ting.errors import StoreError
from ting.store import SqliteStore

T0 = datetime(2025, 1, 31, 7, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "ting.db") as opened:
        yield opened


async def test_history_is_newest_first_and_scoped(store: SqliteStore) -> None:
    first = await store.add_history(
        at=T0, language="zh", text="明天早上七点叫我", intent="set_alarm", reply="好的",
        actions=[{"add_item": "abc"}], user_id="mei",
    )  # fmt: skip
    second = await store.add_history(at=T0 + timedelta(minutes=1), language="en", text="hi",
                                     reply="Hello!", device_id="kitchen")  # fmt: skip
    await store.add_history(at=T0, language="en", text="x", reply="y", household_id="away")

    assert first.id != second.id
    assert (first.text, first.intent, first.actions, first.user_id, first.at) == (
        "明天早上七点叫我", "set_alarm", [{"add_item": "abc"}], "mei", T0,
    )  # fmt: skip
    assert await store.history("home") == [second, first]
    assert await store.history("home", device_id="kitchen") == [second]
    assert await store.history("home", limit=1) == [second]


async def test_delete_history(store: SqliteStore) -> None:
    for minute in range(3):
        await store.add_history(at=T0 + timedelta(minutes=minute), language="en", text="t",
                                reply="r", device_id="kitchen" if minute else "local")  # fmt: skip
    await store.add_history(at=T0, language="en", text="t", reply="r", household_id="away")

    assert await store.delete_history("home", before=T0 + timedelta(minutes=2)) == 2
    assert [h.at for h in await store.history("home")] == [T0 + timedelta(minutes=2)]
    assert await store.delete_history("home", device_id="local") == 0
    assert await store.delete_history("home", device_id="kitchen") == 1
    assert len(await store.history("away")) == 1


async def test_history_actions_must_be_json(store: SqliteStore) -> None:
    with pytest.raises(StoreError, match="JSON"):
        await store.add_history(at=T0, language="en", text="t", reply="r", actions=[{"x": {1, 2}}])
    assert await store.history("home") == []


async def test_conversation_state(store: SqliteStore) -> None:
    assert await store.load_conversation("home/local/ann") is None
    await store.save_conversation("home/local/ann", {"intent": "set_timer", "slots": {}}, T0)
    await store.save_conversation("home/local/ann", {"intent": "set_alarm", "turn": 2}, T0)
    await store.save_conversation("home/kitchen", {"intent": None}, T0 + timedelta(hours=1))
    assert await store.load_conversation("home/local/ann") == {"intent": "set_alarm", "turn": 2}

    assert await store.delete_conversations_before(T0 + timedelta(minutes=1)) == 1
    assert await store.load_conversation("home/local/ann") is None
    assert await store.delete_conversation("home/kitchen") is True
    assert await store.delete_conversation("home/kitchen") is False


async def test_list_items_append_in_order(store: SqliteStore) -> None:
    assert await store.get_list("home", "shopping") is None
    first = await store.add_list_items("home", "shopping", ["milk", "鸡蛋"], T0)
    more = await store.add_list_items("home", "shopping", ["rice"], T0 + timedelta(minutes=1))
    await store.add_list_items("away", "shopping", ["bread"], T0)

    assert [(i.text, i.position, i.checked) for i in first] == [
        ("milk", 1, False),
        ("鸡蛋", 2, False),
    ]
    assert [(i.text, i.position) for i in more] == [("rice", 3)]
    shopping = await store.get_list("home", "shopping")
    assert shopping is not None
    assert (shopping.name, shopping.household_id, shopping.created_at) == ("shopping", "home", T0)
    assert shopping.items == (*first, *more)
    assert await store.list_names("home") == ["shopping"]


async def test_an_empty_add_creates_an_empty_list(store: SqliteStore) -> None:
    assert await store.add_list_items("home", "packing", [], T0) == []
    packing = await store.get_list("home", "packing")
    assert packing is not None and packing.items == ()


async def test_check_remove_clear_and_delete(store: SqliteStore) -> None:
    milk, eggs, rice = await store.add_list_items("home", "shopping", ["milk", "eggs", "rice"], T0)
    (bread,) = await store.add_list_items("away", "shopping", ["bread"], T0)

    assert await store.check_list_item("home", "shopping", milk.id) is True
    assert await store.check_list_item("home", "shopping", bread.id) is False  # not this household
    assert await store.remove_list_items("home", "shopping", [eggs.id, bread.id]) == 1
    shopping = await store.get_list("home", "shopping")
    assert shopping is not None
    assert [(i.text, i.checked) for i in shopping.items] == [("milk", True), ("rice", False)]

    assert await store.check_list_item("home", "shopping", milk.id, checked=False) is True
    assert await store.check_list_item("home", "shopping", rice.id) is True
    assert await store.clear_list("home", "shopping", checked_only=True) == 1
    (left,) = (await store.get_list("home", "shopping") or pytest.fail("list gone")).items
    assert left.text == "milk"
    (tea,) = await store.add_list_items("home", "shopping", ["tea"], T0)
    assert tea.position > left.position

    assert await store.clear_list("home", "shopping") == 2
    assert await store.delete_list("home", "shopping") is True
    assert await store.delete_list("home", "shopping") is False
    assert await store.list_names("home") == []
    assert await store.list_names("away") == ["shopping"]


async def test_key_value_per_skill_and_household(store: SqliteStore) -> None:
    assert await store.kv_get("weather", "city") is None
    await store.kv_set("weather", "city", "Chengdu")
    await store.kv_set("weather", "city", {"name": "成都", "id": 1})
    await store.kv_set("music", "city", "Oslo")
    await store.kv_set("weather", "city", "Lima", household_id="away")

    assert await store.kv_get("weather", "city") == {"name": "成都", "id": 1}
    assert await store.kv_get("music", "city") == "Oslo"
    assert await store.kv_get("weather", "city", household_id="away") == "Lima"
    assert await store.kv_delete("weather", "city") is True
    assert await store.kv_delete("weather", "city") is False
    assert await store.kv_get("weather", "city") is None
    with pytest.raises(StoreError, match=r"weather\.bad"):
        await store.kv_set("weather", "bad", object())
