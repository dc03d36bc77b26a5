"""The SQLite file itself: locations, migrations, settings, rollback and concurrent writers."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ting.errors import ConfigError, StoreError
from ting.store import ItemKind, ItemState, ScheduledItem, SqliteStore, open_store, sqlite_path
from ting.store.schema import MIGRATIONS, statements

T0 = datetime(2025, 1, 31, 7, 0, tzinfo=UTC)


def alarm(due_at: datetime) -> ScheduledItem:
    return ScheduledItem.new(
        kind=ItemKind.ALARM, owner_skill="alarms", language="zh", created_at=T0, due_at=due_at
    )


def test_locations(tmp_path: Path) -> None:
    assert sqlite_path(tmp_path) == tmp_path / "ting.db"
    assert sqlite_path(tmp_path / "new-data-dir") == tmp_path / "new-data-dir" / "ting.db"
    assert sqlite_path(tmp_path / "x.sqlite3") == tmp_path / "x.sqlite3"
    assert sqlite_path(f"sqlite://{tmp_path}/a.db") == tmp_path / "a.db"
    assert sqlite_path("sqlite://data/a.db") == Path("data/a.db")


@pytest.mark.parametrize("url", ["postgresql://ting@localhost/ting", "redis://x"])
async def test_unknown_schemes_are_a_config_error(url: str) -> None:
    scheme = url.partition(":")[0]
    with pytest.raises(ConfigError, match=f"'{scheme}' store is not available yet"):
        await open_store(url)


async def test_an_empty_location_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="empty"):
        await open_store("sqlite://")


async def test_an_unopenable_file_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open"):
        await open_store(blocker / "sub" / "ting.db")


async def test_a_new_file_is_migrated_and_set_up(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "data" / "ting.db") as store:
        assert store.schema_version() == len(MIGRATIONS)
    conn = sqlite3.connect(tmp_path / "data" / "ting.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert {"scheduled_items", "notifications", "history", "lists", "kv"} <= tables


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ting.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this Ting"):
        SqliteStore(path)


async def test_reopen_keeps_everything(tmp_path: Path) -> None:
    item = alarm(T0)
    async with await open_store(tmp_path) as store:
        await store.add_item(item)
        await store.kv_set("alarms", "volume", 7)
        await store.add_list_items("home", "shopping", ["milk"], T0)
        await store.save_conversation("home/local", {"intent": "set_alarm"}, T0)
    async with await open_store(tmp_path) as store:
        assert await store.get_item(item.id) == item
        assert await store.kv_get("alarms", "volume") == 7
        shopping = await store.get_list("home", "shopping")
        assert shopping is not None and [i.text for i in shopping.items] == ["milk"]
        assert await store.load_conversation("home/local") == {"intent": "set_alarm"}


async def test_a_failing_statement_rolls_back_the_whole_batch(tmp_path: Path) -> None:
    async with await open_store(tmp_path) as store:
        await store.add_list_items("home", "shopping", ["milk"], T0)
        # The blank text breaks a CHECK constraint after "eggs" was inserted.
        with pytest.raises(StoreError, match="nothing was changed"):
            await store.add_list_items("home", "shopping", ["eggs", "  ", "rice"], T0)
        with pytest.raises(StoreError):
            await store.add_list_items("home", "chores", ["dishes", ""], T0)
        shopping = await store.get_list("home", "shopping")
        assert shopping is not None and [i.text for i in shopping.items] == ["milk"]
        assert await store.get_list("home", "chores") is None  # the new list went too
        assert await store.list_names("home") == ["shopping"]


async def test_a_failing_notification_insert_leaves_the_item_pending(tmp_path: Path) -> None:
    item = alarm(T0)
    async with await open_store(tmp_path) as store:
        await store.add_item(item)
        # Break the second statement of fire_item from outside, as a full disk would.
        conn = sqlite3.connect(tmp_path / "ting.db")
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON notifications "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
        conn.close()
        with pytest.raises(StoreError, match="injected failure"):
            await store.fire_item(item.id, due_at=T0, fired_at=T0)
        assert await store.get_item(item.id) == item
        assert await store.undelivered_notifications() == []


async def test_a_turn_is_recorded_whole_or_not_at_all(tmp_path: Path) -> None:
    async with await open_store(tmp_path) as store:
        await store.record_turn(
            "home/local/-", {"turn": 1}, at=T0, language="en", text="hi", reply="hello"
        )
        conn = sqlite3.connect(tmp_path / "ting.db")
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON history "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
        conn.close()
        with pytest.raises(StoreError, match="injected failure"):
            await store.record_turn(
                "home/local/-", {"turn": 2}, at=T0, language="en", text="again", reply="hello again"
            )
        assert await store.load_conversation("home/local/-") == {"turn": 1}
        assert [h.text for h in await store.history("home")] == ["hi"]


async def test_a_writer_waits_for_another_process_lock(tmp_path: Path) -> None:
    item = alarm(T0)
    async with await open_store(tmp_path) as store:
        blocker = sqlite3.connect(
            tmp_path / "ting.db", isolation_level=None, check_same_thread=False
        )
        blocker.execute("BEGIN IMMEDIATE")
        timer = threading.Timer(0.2, blocker.execute, ("COMMIT",))
        timer.start()
        try:
            await store.add_item(item)  # waits (busy_timeout) instead of failing
        finally:
            timer.join()
            blocker.close()
        assert await store.get_item(item.id) == item


async def test_a_lock_held_past_busy_timeout_is_a_store_error(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "ting.db", busy_timeout_s=0.05) as store:
        blocker = sqlite3.connect(tmp_path / "ting.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="locked"):
                await store.add_item(alarm(T0))
        finally:
            blocker.close()
        assert await store.list_items("home") == []


def test_concurrent_fire_item_from_two_connections_fires_once(tmp_path: Path) -> None:
    path = tmp_path / "ting.db"
    items = [alarm(T0 + timedelta(seconds=n)) for n in range(30)]

    async def schedule() -> None:
        async with SqliteStore(path) as store:
            for item in items:
                await store.add_item(item)

    asyncio.run(schedule())
    start = threading.Barrier(2)
    wins: dict[str, list[str]] = {"a": [], "b": []}

    async def fire_all(name: str) -> None:
        async with SqliteStore(path) as store:
            start.wait()
            for item in items:
                assert item.due_at is not None
                fired = await store.fire_item(item.id, due_at=item.due_at, fired_at=item.due_at)
                if fired is not None:
                    wins[name].append(item.id)

    threads = [threading.Thread(target=asyncio.run, args=(fire_all(n),)) for n in wins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(wins["a"] + wins["b"]) == sorted(item.id for item in items)

    async def check() -> None:
        async with SqliteStore(path) as store:
            assert len(await store.undelivered_notifications()) == len(items)
            fired = await store.list_items("home", states=[ItemState.FIRED])
            assert len(fired) == len(items)

    asyncio.run(check())


def test_migration_scripts_split_into_whole_statements() -> None:
    script = """
        CREATE TABLE a (x TEXT DEFAULT ';');
        CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y;'; DELETE FROM a; END;
    """
    assert [s.split()[1] for s in statements(script)] == ["TABLE", "TRIGGER"]
    with pytest.raises(ValueError, match="incomplete"):
        list(statements("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM a;"))


def open_together(path: Path, count: int) -> list[BaseException]:
    """Open and close the store at ``path`` from ``count`` threads at once; their errors."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def open_and_close() -> None:
        start.wait()
        try:
            asyncio.run(SqliteStore(path).close())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_processes_opening_a_new_file_together_migrate_it_once(tmp_path: Path) -> None:
    for attempt in range(10):  # the race is short; try it on several new files
        path = tmp_path / f"{attempt}.db"
        assert open_together(path, 4) == []
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        finally:
            conn.close()
