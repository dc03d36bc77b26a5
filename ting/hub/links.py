"""Connected satellites: one ``SatelliteLink`` per WebSocket, found by device or household.

A link is deliberately small (no task, no queue of its own) so that one hub process holds
thousands of idle speakers. Sending is serialized per link and bounded in time: a client too
slow to take a frame within ``send_timeout_s`` is disconnected instead of holding everyone up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from ting.protocol import WireEvent, encode_event
from ting.skills.base import Scope

_LOGGER = logging.getLogger(__name__)

SendBytes = Callable[[bytes], Awaitable[None]]
Close = Callable[[int, str], Awaitable[None]]


class LinkClosed(Exception):
    """The satellite is gone (or was dropped for being too slow)."""


@dataclass(frozen=True)
class LinkIdentity:
    device_id: str
    household_id: str
    name: str
    room: str | None

    @property
    def scope(self) -> Scope:
        return Scope(household_id=self.household_id, device_id=self.device_id)


@dataclass
class SatelliteLink:
    identity: LinkIdentity
    send_bytes: SendBytes
    close_socket: Close
    send_timeout_s: float = 10.0
    state: str = "idle"
    connected_at: float = field(default_factory=time.time)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the satellite introduced itself (``info``): notifications may go to it."""
    closed: bool = False
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, *events: WireEvent) -> None:
        """Send events in order, as one uninterrupted sequence (an audio stream is never
        interleaved with another one). Raises ``LinkClosed``."""
        if self.closed:
            raise LinkClosed(self.identity.device_id)
        async with self._lock:
            for event in events:
                await self._send_one(encode_event(event))

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[Callable[[WireEvent], Awaitable[None]]]:
        """Hold the link for a sequence produced over time (reply audio as it is synthesized)."""
        if self.closed:
            raise LinkClosed(self.identity.device_id)
        async with self._lock:

            async def send(event: WireEvent) -> None:
                await self._send_one(encode_event(event))

            yield send

    async def _send_one(self, message: bytes) -> None:
        if self.closed:
            raise LinkClosed(self.identity.device_id)
        try:
            await asyncio.wait_for(self.send_bytes(message), self.send_timeout_s)
        except TimeoutError:
            _LOGGER.warning("satellite %s too slow; disconnecting", self.identity.device_id)
            await self.close(1008, "too slow")
            raise LinkClosed(self.identity.device_id) from None
        except Exception as err:
            self.closed = True
            raise LinkClosed(self.identity.device_id) from err

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                await self.close_socket(code, reason)


class Links:
    """Every connected satellite of this hub process."""

    def __init__(self) -> None:
        self._by_device: dict[str, SatelliteLink] = {}
        self._by_household: dict[str, dict[str, SatelliteLink]] = {}

    def __len__(self) -> int:
        return len(self._by_device)

    def add(self, link: SatelliteLink) -> SatelliteLink | None:
        """Register ``link``; returns the link it replaces (the same device connected again)."""
        ident = link.identity
        old = self._by_device.get(ident.device_id)
        self._by_device[ident.device_id] = link
        self._by_household.setdefault(ident.household_id, {})[ident.device_id] = link
        return old

    def remove(self, link: SatelliteLink) -> None:
        ident = link.identity
        if self._by_device.get(ident.device_id) is link:
            del self._by_device[ident.device_id]
            members = self._by_household.get(ident.household_id, {})
            members.pop(ident.device_id, None)
            if not members:
                self._by_household.pop(ident.household_id, None)

    def all(self) -> list[SatelliteLink]:
        return list(self._by_device.values())

    def get(self, device_id: str) -> SatelliteLink | None:
        return self._by_device.get(device_id)

    def household(self, household_id: str, room: str | None = None) -> list[SatelliteLink]:
        links = list(self._by_household.get(household_id, {}).values())
        if room:
            wanted = room.casefold()
            links = [link for link in links if (link.identity.room or "").casefold() == wanted]
        return links

    def states(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for link in self._by_device.values():
            counts[link.state] = counts.get(link.state, 0) + 1
        return counts
