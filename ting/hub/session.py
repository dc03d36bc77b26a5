"""One connected satellite's conversation with the hub: its events in, the hub's answers out.

Flow of a spoken command (``docs/protocol.md`` numbers it): ``wake`` → (arbitration with the
household's other speakers) → ``audio-start``/``audio-chunk``s → the pipeline finds the end of
the command (``voice-started``, ``voice-stopped``), recognizes it (``transcript``), answers
(``reply``) and streams the spoken reply (``audio-start``/``audio-chunk``/``audio-stop``, purpose
"reply"), then ``run-end``. One command runs at a time per satellite; a new ``wake`` cancels the
one before (barge-in), as does ``cancel``.

Protocol mistakes (audio without a wake, events only the hub sends, audio that does not fit its
format) get a non-fatal ``error`` event and change nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from ting import __version__
from ting.assistant import TurnResult
from ting.audio.format import AudioChunk
from ting.events import EventBus, RunEvent
from ting.hub.command_audio import CommandAudio
from ting.hub.hub import Hub, HubTurns, audio_start
from ting.hub.links import LinkClosed, SatelliteLink
from ting.pipeline import AudioInput
from ting.pipeline.events import SttEnd, VadEnd, VadStart
from ting.pipeline.pipeline import VoiceTurn
from ting.protocol import PROTOCOL_VERSION, FrameError, WireEvent
from ting.protocol import events as wire
from ting.protocol.audio import chunk_event
from ting.wake.detector import WakeDetection

_LOGGER = logging.getLogger(__name__)

HUB_ONLY = (
    wire.WakeResult,
    wire.VoiceStarted,
    wire.VoiceStopped,
    wire.Transcript,
    wire.Reply,
    wire.RunEnd,
    wire.Schedule,
    wire.Notification,
    wire.Announce,
)


class _Run:
    def __init__(self, run_id: str, gap_s: float) -> None:
        self.run_id = run_id
        self.audio = CommandAudio(gap_s=gap_s)
        self.task: asyncio.Task[None] | None = None


class SatelliteSession:
    def __init__(self, hub: Hub, link: SatelliteLink) -> None:
        self.hub = hub
        self.link = link
        self.info: wire.Info | None = None
        self._run: _Run | None = None
        self._complained: set[str] = set()

    async def handle(self, event: WireEvent) -> None:
        match event:
            case wire.Describe():
                await self.link.send(self._hub_info())
                if not self.link.ready.is_set():
                    await self.hub.connected(self.link)
            case wire.Info():
                self.info = event
            case wire.Ping():
                await self.link.send(wire.Pong(id=event.id))
            case wire.Pong() | wire.Played() | wire.Error():
                if isinstance(event, wire.Error):
                    _LOGGER.info("satellite %s: %s", self.link.identity.name, event.message)
            case wire.SatelliteState():
                self.link.state = event.state
                if event.state == "muted":
                    self._cancel_run("muted")
            case wire.Wake():
                await self._start_command(event)
            case wire.AudioStart() | wire.AudioChunk() | wire.AudioStop():
                await self._audio(event)
            case wire.Text():
                self._cancel_run("new command")
                run = self._run = _Run(event.run_id, self.hub.settings.audio_gap_s)
                run.task = asyncio.create_task(self._text_run(run, event.text))
            case wire.Cancel():
                if self._run is not None and self._run.run_id == event.run_id:
                    self._cancel_run("cancelled")
            case wire.RangOffline():
                await self.hub.rang_offline(self.link, event.items)
            case _ if isinstance(event, HUB_ONLY):
                await self._complain("out-of-order", f"{event.type!r} is sent by the hub")

    async def close(self) -> None:
        """The satellite went away: stop its command (nothing it said is lost: turns are
        recorded only once answered)."""
        self._cancel_run("disconnected")

    # -- commands ----------------------------------------------------------------------------

    async def _start_command(self, wake: wire.Wake) -> None:
        self._cancel_run("barge-in")
        run = self._run = _Run(wake.run_id, self.hub.settings.audio_gap_s)
        run.task = asyncio.create_task(self._voice_run(run, wake), name=f"ting-run-{wake.run_id}")
        self.hub.metrics.count("ting_wakes_total", "Wake words heard by satellites")

    async def _audio(self, event: wire.AudioStart | wire.AudioChunk | wire.AudioStop) -> None:
        run = self._run
        if run is None or (event.run_id and event.run_id != run.run_id):
            await self._complain(
                "out-of-order", f"{event.type!r} for no command in progress (send 'wake' first)"
            )
            return
        if isinstance(event, wire.AudioChunk):
            try:
                run.audio.feed(event)
            except FrameError as err:
                await self._complain(err.code, str(err))
        elif isinstance(event, wire.AudioStop):
            run.audio.end()

    def _cancel_run(self, why: str) -> None:
        run, self._run = self._run, None
        if run is not None:
            run.audio.end()
            if run.task is not None and not run.task.done():
                _LOGGER.info("run %s cancelled: %s", run.run_id, why)
                run.task.cancel()

    async def _voice_run(self, run: _Run, wake: wire.Wake) -> None:
        started = time.perf_counter()
        outcome = "error"
        try:
            if not wake.follow_up:
                won = await self.hub.arbiter.contend(
                    self.link.identity.household_id, run.run_id, wake.level_db, wake.probability
                )
                await self.link.send(wire.WakeResult(run.run_id, won))
                if not won:
                    outcome = "lost"
                    return
            if self.hub.speech is None:
                await self._error(run.run_id, "no-speech-engines", "this hub runs without speech")
                return
            turn = await self._hear(run, wake)
            outcome = turn.outcome if turn is not None else "no-speech"
            if turn is not None and turn.outcome == "error":
                await self._error(run.run_id, "pipeline", turn.error)
        except LinkClosed:
            outcome = "disconnected"
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        except Exception as err:
            _LOGGER.exception("voice run %s failed", run.run_id)
            await self._error(run.run_id, "internal", str(err) or type(err).__name__)
        finally:
            await self._finish(run, outcome, started)

    async def _hear(self, run: _Run, wake: wire.Wake) -> VoiceTurn | None:
        assert self.hub.speech is not None
        events = EventBus()
        relay = _Relay(self, run.run_id)
        events.subscribe(relay.observe)
        audio = AudioInput(run.audio.chunks())
        woke = WakeDetection(wake.model, wake.phrase, wake.probability, 0.0)
        sink = _LinkSink(self.link, run.run_id)
        try:
            turn = await self.hub.speech.command(
                audio,
                sink,
                turns=HubTurns(
                    self.hub,
                    self.link.identity.scope,
                    lambda result: self.send_reply(run.run_id, result, relay),
                ),
                scope=self.link.identity.scope,
                events=events,
                woke=None if wake.follow_up else woke,
            )
            await sink.finish()
            return turn
        finally:
            await audio.aclose()
            await relay.flush()

    async def _text_run(self, run: _Run, text: str) -> None:
        started = time.perf_counter()
        outcome = "error"
        try:
            turns = HubTurns(
                self.hub,
                self.link.identity.scope,
                lambda result: self.send_reply(run.run_id, result),
            )
            result = await turns.handle_text(text)
            await self.hub.speak(self.link.send, run.run_id, "reply", result.reply, result.language)
            outcome = "replied"
        except LinkClosed:
            outcome = "disconnected"
        finally:
            await self._finish(run, outcome, started)

    async def _finish(self, run: _Run, outcome: str, started: float) -> None:
        if self._run is run:
            self._run = None
        self.hub.metrics.count("ting_runs_total", "Commands by outcome", outcome=outcome)
        if run.audio.dropped:
            self.hub.metrics.count(
                "ting_audio_chunks_dropped_total",
                "Command audio chunks dropped because the hub fell behind",
                run.audio.dropped,
            )
        if outcome == "replied":
            self.hub.metrics.observe(
                "ting_run_seconds", "Wake to the end of the reply", time.perf_counter() - started
            )
        with contextlib.suppress(LinkClosed):
            await self.link.send(wire.RunEnd(run.run_id, outcome))

    async def send_reply(
        self, run_id: str, result: TurnResult, relay: _Relay | None = None
    ) -> None:
        """The ``reply`` event; the transcript (when heard) goes out before it."""
        if relay is not None:
            await relay.flush()
        await self.link.send(
            wire.Reply(
                run_id,
                result.reply,
                result.language,
                actions=[dict(a) for a in result.actions],
                expecting=result.expecting is not None,
            )
        )

    # -- errors --------------------------------------------------------------------------------

    async def _error(self, run_id: str, code: str, message: str) -> None:
        with contextlib.suppress(LinkClosed):
            await self.link.send(wire.Error(code=code, message=message, run_id=run_id))

    async def _complain(self, code: str, message: str) -> None:
        """A protocol mistake: say so once per kind, keep serving."""
        self.hub.metrics.count("ting_protocol_errors_total", "Protocol mistakes", code=code)
        if message in self._complained:
            return
        if len(self._complained) < 100:
            self._complained.add(message)
        await self.link.send(wire.Error(code=code, message=message))

    def _hub_info(self) -> wire.Info:
        ident = self.link.identity
        speech = self.hub.speech
        return wire.Info(
            role="hub",
            name="Ting hub",
            protocol=PROTOCOL_VERSION,
            version=__version__,
            languages=["en", "zh"],
            wake_words=list(speech.stack.settings.wake.names) if speech else [],
            audio={"rate": 16000, "width": 2, "channels": 1},
            capabilities=["stt", "tts", "intent", "timers", "announce", "arbitration"]
            if speech
            else ["intent", "timers"],
            device_id=ident.device_id,
            household_id=ident.household_id,
            room=ident.room,
        )


class _LinkSink:
    """Reply audio straight to the satellite, as it is synthesized."""

    def __init__(self, link: SatelliteLink, run_id: str) -> None:
        self._link = link
        self._run_id = run_id
        self._started = False

    async def play(self, chunk: AudioChunk) -> None:
        events: list[WireEvent] = []
        if not self._started:
            self._started = True
            events.append(audio_start(chunk, self._run_id, "reply"))
        events.append(chunk_event(chunk, self._run_id))
        await self._link.send(*events)

    def interrupt(self) -> None:
        pass

    async def finish(self) -> None:
        if self._started:
            await self._link.send(wire.AudioStop(run_id=self._run_id))


class _Relay:
    """Pipeline events → wire events (voice-started, voice-stopped, transcript), in order."""

    def __init__(self, session: SatelliteSession, run_id: str) -> None:
        self._session = session
        self._run_id = run_id
        self._pending: list[asyncio.Task[None]] = []

    def observe(self, event: RunEvent) -> None:
        wire_event: WireEvent | None = None
        if isinstance(event, VadStart):
            wire_event = wire.VoiceStarted(self._run_id)
        elif isinstance(event, VadEnd):
            wire_event = wire.VoiceStopped(self._run_id, reason=event.reason)
        elif isinstance(event, SttEnd):
            wire_event = wire.Transcript(self._run_id, event.text, event.language)
        if wire_event is not None:
            self._pending.append(asyncio.create_task(self._send(wire_event)))

    async def _send(self, event: WireEvent) -> None:
        with contextlib.suppress(LinkClosed):
            await self._session.link.send(event)

    async def flush(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
