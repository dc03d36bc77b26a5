"""The hub's per-speaker plumbing on its own: a link that cannot deliver in time is dropped
(a slow client never holds the hub up), sends on one link never interleave, and wake
arbitration picks the speaker that heard best."""

from __future__ import annotations

import asyncio

from ting.hub.arbitration import WakeArbiter
from ting.hub.links import LinkClosed, LinkIdentity, Links, SatelliteLink
from ting.protocol import decode_event
from ting.protocol import events as wire


def _link(
    device: str, household: str = "h", room: str | None = None, **kw: object
) -> tuple[SatelliteLink, list[bytes], list[int]]:
    sent: list[bytes] = []
    closed: list[int] = []

    async def send(message: bytes) -> None:
        sent.append(message)

    async def close(code: int, reason: str) -> None:
        closed.append(code)

    link = SatelliteLink(LinkIdentity(device, household, device, room), send, close, **kw)
    return link, sent, closed


async def test_a_client_too_slow_to_take_a_frame_is_disconnected() -> None:
    closed: list[int] = []
    never = asyncio.Event()

    async def stuck(message: bytes) -> None:
        await never.wait()  # the peer stopped reading: the socket's buffer is full

    async def close(code: int, reason: str) -> None:
        closed.append(code)

    link = SatelliteLink(LinkIdentity("slow", "h", "slow", None), stuck, close, send_timeout_s=0.2)
    started = asyncio.get_running_loop().time()
    try:
        await link.send(wire.Ping(id=1))
    except LinkClosed:
        pass
    else:
        raise AssertionError("a stuck send must fail")
    assert asyncio.get_running_loop().time() - started < 1.0
    assert closed == [1008] and link.closed
    try:
        await link.send(wire.Ping(id=2))
    except LinkClosed:
        pass
    else:
        raise AssertionError("a closed link must refuse to send")


async def test_sequences_on_one_link_never_interleave() -> None:
    link, sent, _ = _link("a")
    first = [wire.AudioStart(16000, 2, 1, "one")] + [wire.AudioStop("one")] * 3
    second = [wire.AudioStart(16000, 2, 1, "two")] + [wire.AudioStop("two")] * 3
    await asyncio.gather(link.send(*first), link.send(*second))
    runs = [decode_event(m).run_id for m in sent]
    assert runs in (["one"] * 4 + ["two"] * 4, ["two"] * 4 + ["one"] * 4)


def test_links_by_household_and_room() -> None:
    links = Links()
    kitchen, _, _ = _link("k", "h1", "Kitchen")
    bedroom, _, _ = _link("b", "h1", "bedroom")
    other, _, _ = _link("o", "h2", "kitchen")
    for link in (kitchen, bedroom, other):
        links.add(link)
    assert {x.identity.device_id for x in links.household("h1")} == {"k", "b"}
    assert [x.identity.device_id for x in links.household("h1", "kitchen")] == ["k"]
    again, _, _ = _link("k", "h1", "Kitchen")
    assert links.add(again) is kitchen
    links.remove(kitchen)  # the replaced link going away does not drop the new one
    assert links.get("k") is again
    assert len(links) == 3


async def test_the_speaker_that_heard_best_wins() -> None:
    arbiter = WakeArbiter(window_s=0.1)
    results = await asyncio.gather(
        arbiter.contend("h", "far", -38.0, 0.99),
        arbiter.contend("h", "near", -21.0, 0.95),
        arbiter.contend("other-home", "alone", -50.0, 0.9),
    )
    assert results == [False, True, True]
    # A later wake opens a new round.
    assert await arbiter.contend("h", "later", -60.0) is True
