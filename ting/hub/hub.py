"""The hub: one assistant, one account store, the speech engines and every connected speaker.

What happens outside a single satellite's conversation lives here: delivering fired timers and
alarms to the speaker that set them (``deliver``), telling each speaker which of its timers and
alarms to ring on its own if the hub goes away (``push_schedule``), announcements to a whole
household or one room (``announce``), and the actions a turn asks of the hub (``after_turn``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ting.assistant import Assistant, TurnResult
from ting.audio import audio_info
from ting.audio.format import AudioChunk
from ting.errors import ConfigError, InputError, TingError
from ting.events import EventBus, NotificationEvent
from ting.hub.accounts import AccountStore
from ting.hub.arbitration import WakeArbiter
from ting.hub.links import LinkClosed, Links, SatelliteLink
from ting.hub.metrics import Metrics
from ting.hub.settings import HubSettings
from ting.hub.speech import HubSpeech
from ting.pipeline import AudioInput, CollectingSink, VoiceTurn, file_source
from ting.protocol import WireEvent
from ting.protocol import events as wire
from ting.protocol.audio import chunk_event
from ting.skills.base import Scope
from ting.store.records import ACTIVE_STATES

_LOGGER = logging.getLogger(__name__)

RANG_OFFLINE = "hub.rang-offline"
"""kv namespace: occurrences a satellite rang on its own (``item_id@due_at`` → rang_at)."""
SCHEDULE_ACTIONS = ("timer.", "alarm.", "reminder.")


class DeviceOffline(TingError):
    """The notification's speaker is not connected; the scheduler retries later."""


Send = Callable[[WireEvent], Awaitable[None]]


class Hub:
    def __init__(
        self,
        settings: HubSettings,
        assistant: Assistant,
        accounts: AccountStore,
        speech: HubSpeech | None,
    ) -> None:
        self.settings = settings
        self.assistant = assistant
        self.accounts = accounts
        self.speech = speech
        self.links = Links()
        self.arbiter = WakeArbiter(settings.arbitration_window_s)
        self.metrics = Metrics()
        self.metrics.gauge(
            "ting_satellites", "Connected satellites by state", lambda: dict(self.links.states())
        )
        self._background: set[asyncio.Task[None]] = set()
        assistant.deliver = self.deliver

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        for link in self.links.all():
            await link.close(1001, "hub shutting down")
        if self.speech is not None:
            await self.speech.aclose()
        await self.assistant.close()
        await self.accounts.close()

    def spawn(self, work: Awaitable[object], name: str) -> None:
        """Run ``work`` in the background; failures are logged, never lost silently."""

        async def guarded() -> None:
            try:
                await work
            except (LinkClosed, asyncio.CancelledError):
                pass
            except Exception:
                _LOGGER.exception("%s failed", name)

        task = asyncio.create_task(guarded(), name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- speaking ------------------------------------------------------------------------------

    async def speak(self, send: Send, run_id: str, purpose: str, text: str, language: str) -> float:
        """Stream ``text`` as audio events through ``send``; returns seconds of audio sent."""
        if self.speech is None or not text.strip():
            return 0.0
        sent = 0.0
        started = False
        async for chunk in self.speech.speak(text, language):
            if not started:
                await send(audio_start(chunk, run_id, purpose))
                started = True
            await send(chunk_event(chunk, run_id))
            sent += chunk.duration_s
        if started:
            await send(wire.AudioStop(run_id=run_id))
        return sent

    async def synthesize(self, text: str, language: str) -> list[AudioChunk]:
        if self.speech is None or not text.strip():
            return []
        return [chunk async for chunk in self.speech.speak(text, language)]

    # -- after a turn ----------------------------------------------------------------------------

    async def after_turn(self, scope: Scope, result: TurnResult) -> None:
        """Carry out what a turn asks of the hub: announcements (to the household's other
        speakers), and the speaker's new schedule after a timer or alarm changed."""
        link = self.links.get(scope.device_id)
        for action in result.actions:
            if action.get("type") == "announce":
                self.spawn(
                    self.announce(
                        scope.household_id,
                        str(action.get("text", "")),
                        str(action.get("language") or result.language),
                        room=action.get("room"),
                        exclude=scope.device_id,
                        from_device=link.identity.name if link else None,
                    ),
                    "announce",
                )
        if link is not None and any(
            str(a.get("type", "")).startswith(SCHEDULE_ACTIONS) for a in result.actions
        ):
            self.spawn(self.push_schedule(link), "push-schedule")

    async def ask_audio(self, scope: Scope, path: Path) -> tuple[VoiceTurn | None, CollectingSink]:
        """One spoken command from a recording (the console's hold-to-talk): heard from its
        start, answered in ``scope``; the reply audio is collected. ``InputError`` for a file
        that is not readable audio, ``ConfigError`` when this hub runs without speech."""
        if self.speech is None:
            raise ConfigError("this hub runs without speech engines (started with --no-voice)")
        info = audio_info(path)
        if info.frames == 0:
            raise InputError("the recording holds no audio")
        sink = CollectingSink()
        audio = AudioInput(file_source(path))
        try:
            turn = await self.speech.command(
                audio, sink, turns=HubTurns(self, scope), scope=scope, events=EventBus(), woke=None
            )
        finally:
            await audio.aclose()
        return turn, sink

    async def announce(
        self,
        household_id: str,
        text: str,
        language: str,
        *,
        room: str | None = None,
        exclude: str | None = None,
        from_device: str | None = None,
    ) -> list[str]:
        """Speak ``text`` on every speaker of the household (or of ``room``); returns the ids
        of the devices it reached."""
        targets = [
            link
            for link in self.links.household(household_id, room)
            if link.identity.device_id != exclude
        ]
        if not targets:
            return []
        chunks = await self.synthesize(text, language)
        run_id = f"announce-{datetime.now(UTC).strftime('%H%M%S%f')}"
        event = wire.Announce(run_id, text, language, from_device=from_device, room=room)
        frames = [event, *_stream(chunks, run_id, "announcement")]
        results = await asyncio.gather(
            *(link.send(*frames) for link in targets), return_exceptions=True
        )
        reached = [
            link.identity.device_id
            for link, outcome in zip(targets, results, strict=True)
            if outcome is None
        ]
        self.metrics.count("ting_announcements_total", "Announcements sent", len(reached))
        return reached

    # -- timers and alarms -----------------------------------------------------------------------

    async def deliver(self, event: NotificationEvent) -> None:
        """``Assistant.deliver``: ring a fired item on its speaker; raises ``DeviceOffline``
        (the scheduler retries) while that speaker is not connected."""
        if event.item_id and event.due_at:
            key = f"{event.item_id}@{event.due_at}"
            rang = await self.assistant.store.kv_get(
                RANG_OFFLINE, key, household_id=event.household_id
            )
            if rang is not None:
                _LOGGER.info("%s rang offline on %s already", key, event.device_id)
                return
        link = self.links.get(event.device_id)
        if link is None or not link.ready.is_set():
            raise DeviceOffline(f"speaker {event.device_id} is not connected")
        chunks = await self.synthesize(event.text, event.language)
        notice = wire.Notification(
            run_id=event.run_id,
            kind=event.kind,
            text=event.text,
            language=event.language,
            item_id=event.item_id,
            late_by_s=event.late_by_s,
            actions=[dict(a) for a in event.actions],
        )
        try:
            await link.send(notice, *_stream(chunks, event.run_id, "notification"))
        except LinkClosed as err:
            raise DeviceOffline(f"speaker {event.device_id} went away") from err
        self.metrics.count("ting_notifications_total", "Notifications delivered", kind=event.kind)

    async def schedule_items(self, household_id: str, device_id: str) -> list[dict[str, Any]]:
        items = await self.assistant.store.list_items(household_id, device_id, states=ACTIVE_STATES)
        return [
            {
                "item_id": item.id,
                "kind": str(item.kind),
                "label": item.label or "",
                "due_at": item.due_at.astimezone(UTC).isoformat(),
                "language": item.language,
                "text": item.label or "",
            }
            for item in items
            if item.due_at is not None and str(item.state) == "pending"
        ]

    async def push_schedule(self, link: SatelliteLink) -> None:
        ident = link.identity
        items = await self.schedule_items(ident.household_id, ident.device_id)
        await link.send(wire.Schedule(items=items))

    async def rang_offline(self, link: SatelliteLink, items: list[dict[str, Any]]) -> None:
        """Record what the satellite rang while it could not reach the hub, so the hub does
        not ring it again (``deliver`` then closes those notifications without sending)."""
        household = link.identity.household_id
        for entry in items:
            item_id, due_at = entry.get("item_id"), entry.get("due_at")
            if not isinstance(item_id, str) or not isinstance(due_at, str):
                continue
            try:
                due = datetime.fromisoformat(due_at).astimezone(UTC).isoformat()
            except ValueError:
                continue
            value = {"rang_at": str(entry.get("rang_at", "")), "device": link.identity.device_id}
            await self.assistant.store.kv_set(
                RANG_OFFLINE, f"{item_id}@{due}", value, household_id=household
            )
        await self._deliver_waiting(link)

    async def _deliver_waiting(self, link: SatelliteLink) -> None:
        """Make this speaker's undelivered notifications due now (not after their retry
        backoff) and wake the scheduler to deliver them."""
        pending = await self.assistant.store.undelivered_notifications(
            link.identity.household_id, link.identity.device_id
        )
        now = datetime.now(UTC)
        for notification in pending:
            await self.assistant.store.release_notification(notification.id, now)
        self.assistant.scheduler.wake()

    async def connected(self, link: SatelliteLink) -> None:
        """The satellite introduced itself: deliver what waited for it, send its schedule."""
        link.ready.set()
        await self._deliver_waiting(link)
        await self.push_schedule(link)

    # -- hub-wide ----------------------------------------------------------------------------

    async def disconnect_device(self, device_id: str, reason: str) -> None:
        link = self.links.get(device_id)
        if link is not None:
            with contextlib.suppress(LinkClosed):
                await link.send(wire.Error(code="revoked", message=reason, fatal=True))
            await link.close(4003, reason)
            self.links.remove(link)


class HubTurns:
    """The assistant as a voice pipeline on the hub sees it: after each turn, ``on_result``
    (a satellite's ``reply`` event, sent before the reply audio), then the hub's own actions
    (``Hub.after_turn``)."""

    def __init__(
        self,
        hub: Hub,
        scope: Scope,
        on_result: Callable[[TurnResult], Awaitable[None]] | None = None,
    ) -> None:
        self._hub = hub
        self._scope = scope
        self._on_result = on_result
        self.events = hub.assistant.events

    async def handle_text(self, text: str, *, scope: Scope | None = None) -> TurnResult:
        scope = scope or self._scope
        result = await self._hub.assistant.handle_text(text, scope=scope)
        if self._on_result is not None:
            await self._on_result(result)
        await self._hub.after_turn(scope, result)
        return result


def audio_start(chunk: AudioChunk, run_id: str, purpose: str) -> wire.AudioStart:
    """The ``audio-start`` of a stream whose first chunk is ``chunk`` (16-bit on the wire)."""
    return wire.AudioStart(
        rate=chunk.format.sample_rate,
        width=2,
        channels=chunk.format.channels,
        run_id=run_id,
        purpose=purpose,  # type: ignore[arg-type]
    )


def _stream(chunks: list[AudioChunk], run_id: str, purpose: str) -> list[WireEvent]:
    """Audio events for a whole, already synthesized sound, in ~0.5 s chunks."""
    if not chunks:
        return []
    joined = AudioChunk(np.concatenate([c.samples for c in chunks]), chunks[0].format)
    step = joined.format.frames(0.5)
    events: list[WireEvent] = [audio_start(joined, run_id, purpose)]
    for start in range(0, joined.frames, step):
        part = AudioChunk(joined.samples[start : start + step], joined.format)
        events.append(chunk_event(part, run_id))
    events.append(wire.AudioStop(run_id=run_id))
    return events
