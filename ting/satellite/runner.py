"""The satellite loop: microphone → local wake word → stream to the hub → play what it says.

    satellite = Satellite(settings, source=…, output=…, detector=…, vad=…)
    await satellite.run()   # until the input ends; HubUnauthorized when the token is refused

Four tasks share one event loop: the audio loop (wake word, follow-up VAD, streaming), the
connection (``HubConnection.run`` calls ``on_connected`` / ``on_event`` / ``on_disconnected``
here), the player, and a ticker (mute switch, offline alarms, the reply timeout). A run:

1. wake word while IDLE (or SPEAKING: barge-in) → ``wake``, ``audio-start``, chunks; LISTENING;
2. ``voice-stopped`` (or 15 s) → ``audio-stop``; THINKING; ``wake-result`` lost → IDLE;
3. reply audio → SPEAKING → ``played`` → IDLE, or LISTENING for ``follow_up_s`` without the
   wake word when the reply expects an answer (speech starts a new run with its pre-roll).

Without the hub a wake gets "I can't reach the hub" and due alarms ring locally.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import signal
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

import ting
from ting.audio import SPEECH_FORMAT, AudioChunk, Samples, rms_dbfs
from ting.protocol import PROTOCOL_VERSION
from ting.protocol import events as ev
from ting.satellite import local_voice
from ting.satellite.audio_out import AudioOutput
from ting.satellite.connection import HubConnection
from ting.satellite.journal import Journal
from ting.satellite.local_voice import LocalVoice
from ting.satellite.mute import MuteSwitch
from ting.satellite.offline import OfflineSchedule, iso_utc
from ting.satellite.player import Playback, Player
from ting.satellite.settings import SatelliteSettings
from ting.satellite.state import State, StateMachine
from ting.vad import Segmenter, SegmenterSettings, SpeechStarted, VadEngine, VadScorer
from ting.wake import WakeDetection, WakeDetector

_LOGGER = logging.getLogger(__name__)
RATE = SPEECH_FORMAT.sample_rate
AUDIO = {"rate": RATE, "width": 2, "channels": 1}
CAPABILITIES = ["wake", "vad", "play", "offline-alarms", "mute"]
JOURNALED: dict[type[ev.WireEvent], str] = {
    ev.Transcript: "transcript",
    ev.Reply: "reply",
    ev.Notification: "notification",
    ev.Announce: "announce",
    ev.RunEnd: "run-end",
    ev.WakeResult: "wake-result",
    ev.VoiceStarted: "voice-started",
    ev.VoiceStopped: "voice-stopped",
}


@dataclass
class _Run:
    """The command this satellite is sending or waiting an answer for."""

    run_id: str
    started_s: float
    """Stream time of the first command audio."""
    streaming: bool = True
    deadline: float | None = None
    """Monotonic time THINKING gives up."""


@dataclass
class _FollowUp:
    scorer: VadScorer
    segmenter: Segmenter


class Satellite:
    def __init__(
        self,
        settings: SatelliteSettings,
        *,
        source: AsyncIterator[AudioChunk],
        output: AudioOutput,
        detector: WakeDetector,
        vad: VadEngine,
        journal: Journal | None = None,
        voice: LocalVoice | None = None,
        connection: HubConnection | None = None,
    ) -> None:
        self.settings = settings
        self.source = source
        self.detector = detector
        self.vad = vad
        self.journal = journal or Journal()
        self.voice = voice or LocalVoice()
        self.mute = MuteSwitch(settings.state_dir, muted=settings.muted)
        self.connection = connection or HubConnection(
            settings.hub_url,
            settings.token,
            mute=self.mute,
            backoff=settings.backoff,
            open_timeout_s=settings.open_timeout_s,
            ping_interval_s=settings.ping_interval_s,
        )
        self.offline = OfflineSchedule(settings.state_dir)
        self.machine = StateMachine()
        self.machine.subscribe(
            lambda old, new: self.journal.record("state", state=new.value, previous=old.value)
        )
        self.player = Player(output, self._playback_started, self._playback_ended)
        self.hub_info: ev.Info | None = None
        self._run: _Run | None = None
        self._follow: _FollowUp | None = None
        self._expecting: dict[str, bool] = {}
        self._cancelled: collections.deque[str] = collections.deque(maxlen=64)
        self._recent: collections.deque[AudioChunk] = collections.deque(
            maxlen=max(1, int(2000 / settings.block_ms))
        )
        self._position_s = 0.0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def state(self) -> State:
        return self.machine.state

    # -- the whole ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Until the input ends (or the token is refused: ``HubUnauthorized``)."""
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGUSR1, self.mute.toggle)
        tasks = [
            asyncio.create_task(self._audio_loop(), name="satellite-audio"),
            asyncio.create_task(self.connection.run(self), name="satellite-connection"),
            asyncio.create_task(self.player.run(), name="satellite-player"),
            asyncio.create_task(self._ticker(), name="satellite-ticker"),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()  # raises what ended it
        finally:
            for task in [*tasks, *self._tasks]:
                task.cancel()
            await asyncio.gather(*tasks, *self._tasks, return_exceptions=True)
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGUSR1)

    def _spawn(self, coroutine: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _LOGGER.error("satellite task failed", exc_info=task.exception())

    async def _to(self, state: State) -> None:
        if self.machine.to(state):
            await self.connection.send(ev.SatelliteState(state.value))

    # -- audio in ---------------------------------------------------------------------------------

    async def _audio_loop(self) -> None:
        async for chunk in self.source:
            self._recent.append(chunk)
            self._position_s = chunk.end_s
            if self.state is State.MUTED:
                continue
            detections = await asyncio.to_thread(self.detector.process, chunk)
            run = self._run
            if run is not None and run.streaming:
                await self._stream(run, chunk)
            if self._follow is not None:
                await self._follow_up(chunk)
            for detection in detections:
                await self._on_wake(detection, chunk)

    async def _on_wake(self, detection: WakeDetection, chunk: AudioChunk) -> None:
        if self.state is State.SPEAKING:
            await self._barge_in()
        elif self.state is State.LISTENING and self._follow is not None:
            self._follow = None
        elif self.state is not State.IDLE:
            _LOGGER.debug("wake word while %s: ignored", self.state.value)
            return
        offset = round((detection.at_s - chunk.start_s) * RATE)
        tail = chunk.samples[max(0, min(offset, chunk.frames)) :]
        level = rms_dbfs(self._audio_since(detection.at_s - self.settings.level_window_s))
        await self._start_run(
            model=detection.model,
            phrase=detection.phrase,
            probability=detection.probability,
            level_db=level,
            follow_up=False,
            first_audio=tail,
        )

    async def _start_run(
        self,
        *,
        model: str,
        phrase: str,
        probability: float,
        level_db: float,
        follow_up: bool,
        first_audio: Samples,
    ) -> None:
        run_id = uuid.uuid4().hex
        connected = self.connection.connected
        self.journal.record(
            "wake",
            run_id=run_id,
            model=model,
            phrase=phrase,
            probability=round(probability, 3),
            level_db=round(level_db, 1),
            follow_up=follow_up,
            connected=connected,
        )
        if not connected:
            await self._unreachable(run_id)
            return
        self._run = _Run(run_id, self._position_s - first_audio.size / RATE)
        await self._to(State.LISTENING)
        await self.connection.send(
            ev.Wake(
                run_id=run_id,
                model=model,
                phrase=phrase,
                probability=float(probability),
                level_db=float(level_db),
                follow_up=follow_up,
            )
        )
        await self.connection.send(ev.AudioStart(**AUDIO, run_id=run_id, purpose="command"))
        block = SPEECH_FORMAT.frames(self.settings.block_ms / 1000)
        for begin in range(0, first_audio.size, block):
            await self._send_audio(run_id, first_audio[begin : begin + block])

    async def _send_audio(self, run_id: str, samples: Samples) -> None:
        if samples.size:
            payload = AudioChunk(np.ascontiguousarray(samples), SPEECH_FORMAT).to_pcm16()
            await self.connection.send(ev.AudioChunk(**AUDIO, run_id=run_id, payload=payload))

    async def _stream(self, run: _Run, chunk: AudioChunk) -> None:
        await self._send_audio(run.run_id, chunk.samples)
        if chunk.end_s - run.started_s >= self.settings.max_command_s - 1e-6:
            _LOGGER.info("run %s: %.0f s of command audio, stopping", run.run_id, chunk.end_s)
            await self._stop_streaming(run)
            await self._to(State.THINKING)

    async def _stop_streaming(self, run: _Run) -> None:
        if run.streaming:
            run.streaming = False
            run.deadline = time.monotonic() + self.settings.reply_timeout_s
            await self.connection.send(ev.AudioStop(run_id=run.run_id))

    def _audio_since(self, since_s: float) -> Samples:
        pieces = []
        for chunk in self._recent:
            if chunk.end_s <= since_s:
                continue
            skip = max(0, round((since_s - chunk.start_s) * RATE))
            pieces.append(chunk.samples[skip:])
        return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)

    async def _follow_up(self, chunk: AudioChunk) -> None:
        follow = self._follow
        assert follow is not None
        if self.state is not State.LISTENING:
            self._follow = None
            return
        for frame in follow.scorer.process(chunk):
            event = follow.segmenter.process(frame.probability, frame.start_s, frame.end_s)
            if isinstance(event, SpeechStarted):
                self._follow = None
                audio = self._audio_since(event.start_s - self.settings.pre_roll_s)
                await self._start_run(
                    model="follow-up",
                    phrase="",
                    probability=frame.probability,
                    level_db=rms_dbfs(audio),
                    follow_up=True,
                    first_audio=audio,
                )
                return
            if event is not None:  # no speech in time
                self._follow = None
                await self._to(State.IDLE)
                return

    def _listen_for_answer(self) -> None:
        scorer = VadScorer(self.vad)
        scorer.reset()
        settings = SegmenterSettings(no_speech_timeout_s=self.settings.follow_up_s)
        self._follow = _FollowUp(scorer, Segmenter(settings, origin_s=self._position_s))

    async def _barge_in(self) -> None:
        for item in self.player.stop_all():
            self.journal.record("barge-in", run_id=item.run_id, purpose=item.purpose)
            if not item.local:
                self._cancelled.append(item.run_id)
                await self.connection.send(ev.Played(run_id=item.run_id, interrupted=True))
                await self.connection.send(ev.Cancel(run_id=item.run_id))

    # -- playback -------------------------------------------------------------------------------

    async def _playback_started(self, item: Playback) -> None:
        run = self._run
        if run is not None and item.purpose == "reply" and item.run_id == run.run_id:
            await self._stop_streaming(run)
            self._run = None  # answered: no reply timeout any more
        state = self.state
        if state is State.LISTENING and self._follow is not None:
            self._follow = None
        elif state is State.LISTENING and self._run is not None:
            return  # another run is streaming: play, but the LEDs stay on listening
        if state is not State.MUTED:
            await self._to(State.SPEAKING)

    async def _playback_ended(self, item: Playback, heard: bool, where: str | None) -> None:
        self.journal.record(
            "played",
            purpose=item.purpose,
            run_id=item.run_id,
            interrupted=not heard,
            audio_s=round(item.audio_s, 2),
            file=where,
        )
        if item.stopped:
            return  # barge-in already told the hub and moved on
        if not item.local:
            await self.connection.send(ev.Played(run_id=item.run_id))
        if self.player.busy or self.state is not State.SPEAKING:
            return
        if item.expecting and heard and self.connection.connected:
            await self._to(State.LISTENING)
            self._listen_for_answer()
        else:
            await self._to(State.IDLE)

    async def _unreachable(self, run_id: str) -> None:
        self.journal.record("unreachable", run_id=run_id)

        async def say() -> None:
            language = self.settings.language
            samples = await self.voice.phrase_or_tone(
                local_voice.UNREACHABLE[language], language, local_voice.unreachable_tone()
            )
            self.player.play("unreachable", run_id, samples, local_voice.RATE)

        self._spawn(say())

    # -- the hub --------------------------------------------------------------------------------

    def info(self) -> ev.Info:
        settings = self.settings
        return ev.Info(
            role="satellite",
            name=settings.name,
            protocol=PROTOCOL_VERSION,
            version=getattr(ting, "__version__", "0.1.0"),
            languages=[settings.language],
            wake_words=list(settings.wake_words),
            audio=dict(AUDIO),
            capabilities=list(CAPABILITIES),
            device_id=settings.device_id,
            room=settings.room,
        )

    async def on_connected(self) -> None:
        self.journal.record("connected", hub=self.connection.url)
        send = self.connection.send
        await send(self.info())
        rang = self.offline.unreported()
        if rang and await send(ev.RangOffline(items=rang)):
            self.offline.reported(rang)
            self.journal.record("rang-reported", items=rang)
        await send(ev.Describe())
        await send(ev.SatelliteState(self.state.value))

    async def on_disconnected(self, reason: str) -> None:
        self.journal.record("disconnected", reason=reason)
        self.player.finish_all()
        run = self._run
        if run is not None:
            self._run = None
            if self.state in (State.LISTENING, State.THINKING):
                await self._to(State.IDLE)
                await self._unreachable(run.run_id)

    async def on_event(self, event: ev.WireEvent) -> None:
        kind = JOURNALED.get(type(event))
        if kind is not None:
            self.journal.record(kind, **event.to_frame().data)
        match event:
            case ev.AudioChunk():
                self._play_chunk(event)
            case ev.AudioStart():
                self._play_start(event)
            case ev.AudioStop():
                self.player.finish(event.run_id)
            case ev.Ping(id=ping_id):
                await self.connection.send(ev.Pong(id=ping_id))
            case ev.Info():
                self.hub_info = event
                self.journal.record("hub-info", **event.to_frame().data)
            case ev.Describe():
                await self.connection.send(self.info())
            case ev.Schedule(items=items):
                self.offline.replace(items)
                self.journal.record("schedule", items=len(items))
            case ev.WakeResult(run_id=run_id, won=False):
                await self._end_run(run_id, State.IDLE)
            case ev.VoiceStopped(run_id=run_id):
                await self._end_run(run_id, State.THINKING)
            case ev.Reply(run_id=run_id, expecting=expecting):
                self._expecting[run_id] = expecting
                await self._end_run(run_id, State.THINKING)
            case ev.RunEnd(run_id=run_id):
                self._expecting.pop(run_id, None)
                if self._run is not None and self._run.run_id == run_id:
                    await self._end_run(run_id, State.IDLE)
            case ev.Notification(item_id=item_id) if item_id:
                self.offline.mark_notified(item_id)
            case ev.Error(code=code, message=message, fatal=fatal):
                _LOGGER.warning("the hub says %s: %s", code, message)
                self.journal.record("error", code=code, message=message, fatal=fatal)
                if fatal:
                    await self.connection.drop()
            case _:
                _LOGGER.debug("nothing to do for %s", event.type)

    async def _end_run(self, run_id: str, state: State) -> None:
        """Stop streaming ``run_id`` (if it is the current run) and move to ``state``."""
        run = self._run
        if run is None or run.run_id != run_id:
            return
        await self._stop_streaming(run)
        if state is State.IDLE:
            self._run = None
        if self.state in (State.LISTENING, State.THINKING) and self.machine.can(state):
            await self._to(state)

    def _play_start(self, event: ev.AudioStart) -> None:
        if event.purpose == "command" or event.run_id in self._cancelled:
            return
        if event.width != 2 or event.channels < 1:
            _LOGGER.warning("cannot play %d-byte samples; ignoring %s", event.width, event.run_id)
            return
        expecting = self._expecting.get(event.run_id, False) and event.purpose == "reply"
        self.player.begin(event.purpose, event.run_id, event.rate, expecting=expecting)

    def _play_chunk(self, event: ev.AudioChunk) -> None:
        if event.width != 2 or not event.payload or event.run_id in self._cancelled:
            return
        usable = len(event.payload) - len(event.payload) % (2 * max(1, event.channels))
        samples = np.frombuffer(event.payload[:usable], "<i2").astype(np.float32) / 32768.0
        if event.channels > 1:
            samples = samples.reshape(-1, event.channels).mean(axis=1, dtype=np.float32)
        self.player.feed(event.run_id, samples)

    # -- the ticker: mute switch, offline alarms, reply timeout ---------------------------------

    async def _ticker(self) -> None:
        settings = self.settings
        next_offline = 0.0
        while True:
            muted = self.mute.is_muted()
            if muted != (self.state is State.MUTED):
                await self._apply_mute(muted)
            now = time.monotonic()
            run = self._run
            if run is not None and run.deadline is not None and now > run.deadline:
                _LOGGER.warning("run %s: no answer from the hub, giving up", run.run_id)
                await self._end_run(run.run_id, State.IDLE)
            if now >= next_offline:
                next_offline = now + settings.offline_check_s
                if not self.connection.connected:
                    self._ring_due()
            await asyncio.sleep(settings.mute_poll_s)

    async def _apply_mute(self, muted: bool) -> None:
        self.journal.record("mute", muted=muted)
        if not muted:
            await self._to(State.IDLE)
            if self.player.busy:
                await self._to(State.SPEAKING)
            return
        self._follow = None
        run, self._run = self._run, None
        if run is not None:
            await self._stop_streaming(run)
            await self.connection.send(ev.Cancel(run_id=run.run_id))
        await self._to(State.MUTED)

    def _ring_due(self) -> None:
        settings = self.settings
        now = datetime.now(UTC)
        for item in self.offline.take_due(
            now, grace_s=settings.offline_grace_s, max_late_s=settings.offline_max_late_s
        ):
            self.journal.record(
                "offline-ring",
                item_id=item["item_id"],
                kind=item.get("kind"),
                due_at=item["due_at"],
                rang_at=iso_utc(now),
                text=item.get("text") or item.get("label") or "",
            )
            self._spawn(self._ring(item))

    async def _ring(self, item: dict[str, Any]) -> None:
        text = str(item.get("text") or item.get("label") or "")
        language = str(item.get("language") or self.settings.language)
        spoken = await self.voice.speak(text, language) if text else None
        beeps = local_voice.alarm_tone()
        samples = beeps if spoken is None else np.concatenate([beeps, spoken, beeps])
        self.player.play("alarm", str(item["item_id"]), samples, local_voice.RATE)
