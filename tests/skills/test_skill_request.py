"""What a skill's handler reads from an ``IntentRequest``."""

from __future__ import annotations

from datetime import UTC, datetime

from ting.nlu.types import ParseContext, SlotValue
from ting.skills.base import IntentRequest, Scope


def test_values_give_the_slot_then_its_further_values_in_order() -> None:
    ctx = ParseContext(datetime(2026, 12, 7, 12, tzinfo=UTC), UTC)
    first = SlotValue("artist", "text", "queen", "queen")
    later = (
        SlotValue("artist", "text", "abba", "abba"),
        SlotValue("service", "text", "spotify", "spotify"),
        SlotValue("artist", "text", "adele", "adele"),
    )
    request = IntentRequest(
        "PlayMusic", {"artist": first}, "en", ctx, Scope(device_id="kitchen"), more=later
    )
    assert request.values("artist") == ["queen", "abba", "adele"]
    assert request.values("service") == ["spotify"]
    assert request.values("album") == []
    assert request.slot("artist") == "queen"
