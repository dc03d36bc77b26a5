"""The offline schedule: rings once when due, never what the hub rang, survives a restart,
and each local ring is reported once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ting.satellite.offline import OfflineSchedule

T0 = datetime(2030, 5, 1, 7, 0, tzinfo=UTC)


def item(item_id: str, minutes: float, text: str = "") -> dict[str, object]:
    due = (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    return {
        "item_id": item_id,
        "kind": "alarm",
        "label": "",
        "due_at": due,
        "language": "en",
        "text": text or f"{item_id} is up",
    }


def test_rings_once_when_due(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("a", 1), item("b", 5)])
    assert book.take_due(T0) == []
    assert [i["item_id"] for i in book.take_due(T0 + timedelta(minutes=2))] == ["a"]
    assert book.take_due(T0 + timedelta(minutes=3)) == []
    assert [i["item_id"] for i in book.take_due(T0 + timedelta(minutes=6))] == ["b"]
    assert [r["item_id"] for r in book.unreported()] == ["a", "b"]
    assert book.unreported()[0] == {
        "item_id": "a",
        "due_at": "2030-05-01T07:01:00Z",
        "rang_at": "2030-05-01T07:02:00Z",
    }


def test_grace_and_too_late(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("soon", 0), item("ancient", -180)])
    now = T0 + timedelta(seconds=1)
    assert book.take_due(now, grace_s=2.0, max_late_s=3600) == []  # only "ancient" dropped
    assert book.unreported() == []
    assert [i["item_id"] for i in book.take_due(now + timedelta(seconds=2), grace_s=2.0)] == [
        "soon"
    ]


def test_never_rings_what_the_hub_rang(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("a", 1)])
    book.mark_notified("a")
    assert book.take_due(T0 + timedelta(minutes=2)) == []
    # A schedule sent just before the notification still lists it: still not rung.
    book.replace([item("a", 1)])
    assert book.take_due(T0 + timedelta(minutes=2)) == []
    assert OfflineSchedule(tmp_path).take_due(T0 + timedelta(minutes=2)) == []


def test_persisted_across_restart(tmp_path: Path) -> None:
    OfflineSchedule(tmp_path).replace([item("a", 1), item("b", 2)])
    restarted = OfflineSchedule(tmp_path)
    assert [i["item_id"] for i in restarted.take_due(T0 + timedelta(minutes=1.5))] == ["a"]
    again = OfflineSchedule(tmp_path)  # a crash right after ringing: neither lost nor rung twice
    assert [i["item_id"] for i in again.take_due(T0 + timedelta(minutes=3))] == ["b"]
    assert [r["item_id"] for r in OfflineSchedule(tmp_path).unreported()] == ["a", "b"]
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_reported_once(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("a", 1)])
    book.take_due(T0 + timedelta(minutes=2))
    sent = book.unreported()
    book.reported(sent)
    assert book.unreported() == []
    assert OfflineSchedule(tmp_path).unreported() == []


def test_a_ring_after_the_report_was_taken_is_kept(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("a", 1), item("b", 2)])
    book.take_due(T0 + timedelta(minutes=1.5))
    sent = book.unreported()
    book.take_due(T0 + timedelta(minutes=2.5))
    book.reported(sent)
    assert [r["item_id"] for r in book.unreported()] == ["b"]


def test_malformed_items_and_files_are_ignored(tmp_path: Path) -> None:
    book = OfflineSchedule(tmp_path)
    book.replace([item("ok", 1), {"item_id": 3, "due_at": "x"}, {"due_at": "2030-01-01T00:00Z"}])
    assert [i["item_id"] for i in book.items] == ["ok"]
    (tmp_path / "rang.json").write_text("{not json")
    assert OfflineSchedule(tmp_path).unreported() == []
    assert json.loads((tmp_path / "schedule.json").read_text())["items"][0]["item_id"] == "ok"
