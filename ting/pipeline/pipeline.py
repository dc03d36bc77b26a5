"""The voice pipeline: wake → vad → stt → intent → handle → tts, as awaited stages.

    pipeline = VoicePipeline(assistant=..., stt=..., voice=..., frontend=..., judge=...)
    turns = await pipeline.converse(AudioInput(source), sink)

One turn (``run_turn``) reads top to bottom: wait for the wake word (``_wait_for_wake``), listen
to the command while streaming it to speech recognition (``_listen``), understand and handle it
(``_understand``, the assistant), speak the reply while watching for barge-in (``_speak``).
Each stage emits run events (``ting.pipeline.events``) on ``pipeline.events``; metrics and logs
are observers. Engines come in through the constructor (in-process or behind the wire protocol,
the pipeline cannot tell).

Barge-in: while the reply plays, the input keeps flowing through the wake detector and the VAD;
the wake word, or a short utterance that is a stop word, cancels the speaking task and tells the
sink to drop what is queued. What an interruption must not cancel is kept out of that task: the
turn has already been handled and remembered by the assistant, and ``tts-end`` / ``run-end`` are
emitted by the turn itself after the task is gone. After a wake word barge-in the next turn
listens for a command at once; after a question (``TurnResult.expecting``) the next turn listens
``follow_up_s`` for the answer without the wake word.

Errors: a turn never raises for bad audio or a failing engine; it ends with outcome "error" and
an ``error`` event. Cancelling ``converse`` cancels everything under it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from ting.assistant import TurnResult
from ting.audio import AudioChunk
from ting.errors import TingError
from ting.events import (
    ErrorEvent,
    EventBus,
    HandleEnd,
    HandleStart,
    IntentEnd,
    IntentStart,
    RunEvent,
    RunStart,
)
from ting.pipeline.audio_io import AudioInput, AudioSink
from ting.pipeline.endpointing import CompletenessJudge
from ting.pipeline.events import (
    NoSpeechEvent,
    SttEnd,
    SttPartial,
    SttStart,
    TtsChunk,
    TtsEnd,
    TtsStart,
    VadEnd,
    VadStart,
    VoiceRunEnd,
    WakeDetected,
)
from ting.pipeline.frontend import Frontend
from ting.pipeline.settings import PipelineSettings
from ting.skills.base import Scope
from ting.stt.base import SttEngine, SttOptions, SttStream, Transcript
from ting.vad.segmenter import NoSpeech, Segmenter, SegmenterState, SpeechEnded, SpeechStarted
from ting.wake.detector import WakeDetection

_LOGGER = logging.getLogger(__name__)

WakeMode = Literal["required", "optional", "none"]
"""required: wait for the wake word; optional: a command may start at once, a wake word heard
first restarts it after the wake word; none: the wake word was already heard (or Ting asked)."""


class TurnHandler(Protocol):
    """What the pipeline needs of the assistant."""

    events: EventBus

    async def handle_text(self, text: str, *, scope: Scope | None = None) -> TurnResult: ...


class Voice(Protocol):
    """What the pipeline needs of text to speech (``ting.tts.Speaker``)."""

    def speak(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]: ...


@dataclass
class TurnTimings:
    """Stream times (``*_s``: seconds of input audio) and wall clock (``*_at``: perf_counter)."""

    speech_start_s: float | None = None
    speech_end_s: float | None = None
    decided_s: float | None = None
    decided_at: float | None = None
    stt_end_at: float | None = None
    intent_end_at: float | None = None
    first_audio_at: float | None = None
    tts_end_at: float | None = None
    stt_finish_s: float = 0.0
    """Seconds ``finish`` took (what was left of recognition at the end of the utterance)."""


@dataclass(frozen=True)
class VoiceTurn:
    run_id: str
    outcome: str
    """"replied", "interrupted", "no-speech", "not-understood" (no words), "error"."""
    text: str = ""
    language: str = ""
    reply: str = ""
    wake: WakeDetection | None = None
    transcript: Transcript | None = None
    result: TurnResult | None = None
    endpoint: str = ""
    """Why the command ended (``SpeechEnded.reason``)."""
    reply_audio_s: float = 0.0
    interrupted_by: str = ""
    barge_wake: WakeDetection | None = None
    error: str = ""
    timings: TurnTimings = field(default_factory=TurnTimings)

    def to_dict(self) -> dict[str, Any]:
        t = self.timings
        return {
            "run_id": self.run_id,
            "outcome": self.outcome,
            "wake": self.wake.model if self.wake else None,
            "transcript": self.text,
            "language": self.language,
            "reply": self.reply,
            "intent": self.result.intent if self.result else None,
            "slots": self.result.slots if self.result else {},
            "expecting": self.result.expecting if self.result else None,
            "endpoint": self.endpoint,
            "speech_start_s": _round(t.speech_start_s),
            "speech_end_s": _round(t.speech_end_s),
            "reply_audio_s": round(self.reply_audio_s, 3),
            "interrupted_by": self.interrupted_by or None,
            "error": self.error or None,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class _Heard:
    transcript: Transcript | None
    wake: WakeDetection | None
    endpoint: str


class _Run:
    def __init__(self, bus: EventBus) -> None:
        self.id = uuid.uuid4().hex
        self.bus = bus
        self.timings = TurnTimings()

    def emit(self, kind: type[RunEvent], **fields: Any) -> None:
        self.bus.emit(kind(run_id=self.id, at=time.perf_counter(), **fields))


class VoicePipeline:
    def __init__(
        self,
        *,
        assistant: TurnHandler,
        stt: SttEngine,
        voice: Voice,
        frontend: Frontend,
        judge: CompletenessJudge | None = None,
        settings: PipelineSettings | None = None,
        events: EventBus | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.assistant = assistant
        self.stt = stt
        self.voice = voice
        self.frontend = frontend
        self.judge = judge
        self.settings = settings or PipelineSettings()
        self.events = events or EventBus()
        self.scope = scope or Scope(device_id=self.settings.device_id)
        """Whose conversation this pipeline speaks for (the hub: the satellite's device)."""
        self._stop = {_words(w) for w in self.settings.stop_words}

    async def aclose(self) -> None:
        """Stop the front end's worker (engines handed in are their owner's to close)."""
        self.frontend.close()

    # -- a conversation ------------------------------------------------------------------------

    async def converse(
        self,
        audio: AudioInput,
        sink: AudioSink,
        *,
        first: WakeMode = "required",
        max_turns: int | None = None,
        until_done: bool = False,
        barge_in: bool | None = None,
        first_listen_s: float | None = None,
    ) -> list[VoiceTurn]:
        """Turns until the input ends (or ``max_turns``). ``until_done``: stop after the first
        turn that does not lead to another one (no question, no barge-in) — ``ting ask``.
        ``barge_in``: overrides the setting (off for recorded input, which never hears Ting).
        ``first_listen_s``: with ``first="optional"``, seconds to wait for the command to begin
        (None: until the input ends)."""
        if barge_in is not None and barge_in != self.settings.barge_in:
            self.settings = replace(self.settings, barge_in=barge_in)
        turns: list[VoiceTurn] = []
        mode: WakeMode = first
        origin: WakeDetection | None = None
        timeout = first_listen_s if first == "optional" else self.settings.command_timeout_s
        while max_turns is None or len(turns) < max_turns:
            turn = await self.run_turn(audio, sink, wake=mode, after=origin, listen_s=timeout)
            if turn is None:
                break
            turns.append(turn)
            if turn.barge_wake is not None:
                mode, origin, timeout = "none", turn.barge_wake, self.settings.command_timeout_s
            elif turn.outcome == "replied" and turn.result and turn.result.expecting:
                mode, origin, timeout = "none", None, self.settings.follow_up_s
            elif until_done:
                break
            else:
                mode, origin, timeout = "required", None, self.settings.command_timeout_s
            if audio.ended:
                break
        return turns

    # -- one turn ------------------------------------------------------------------------------

    async def run_turn(
        self,
        audio: AudioInput,
        sink: AudioSink,
        *,
        wake: WakeMode = "required",
        after: WakeDetection | None = None,
        listen_s: float | None = None,
    ) -> VoiceTurn | None:
        """One command and its reply; None when the input ended while waiting for the wake
        word. ``after``: a wake word already heard (the command starts after it)."""
        run = _Run(self.events)
        detection = after
        try:
            if wake == "required":
                detection = await self._wait_for_wake(audio, run)
                if detection is None:
                    return None
            origin = detection.at_s if detection else audio.position_s
            heard = await self._listen(
                audio,
                run,
                origin_s=origin,
                restart_on_wake=wake != "required",
                after_wake=detection is not None,
                timeout_s=listen_s,
            )
            detection = heard.wake or detection
            if heard.transcript is None:
                return self._end(run, "no-speech", wake=detection, endpoint=heard.endpoint)
            transcript = heard.transcript
            if not transcript.text.strip():
                return self._end(
                    run,
                    "not-understood",
                    wake=detection,
                    transcript=transcript,
                    endpoint=heard.endpoint,
                )
            result = await self._understand(run, transcript.text)
            played, by, barge = await self._speak(run, result, audio, sink)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not isinstance(error, TingError):
                _LOGGER.exception("voice turn failed")
            run.emit(ErrorEvent, code=type(error).__name__, message=str(error))
            return self._end(run, "error", wake=detection, error=str(error) or type(error).__name__)
        return self._end(
            run,
            "interrupted" if by else "replied",
            wake=detection,
            transcript=transcript,
            result=result,
            endpoint=heard.endpoint,
            reply_audio_s=played,
            interrupted_by=by,
            barge_wake=barge,
        )

    def _end(self, run: _Run, outcome: str, **fields: Any) -> VoiceTurn:
        transcript: Transcript | None = fields.get("transcript")
        result: TurnResult | None = fields.get("result")
        turn = VoiceTurn(
            run_id=run.id,
            outcome=outcome,
            text=transcript.text if transcript else "",
            language=result.language if result else (transcript.language if transcript else ""),
            reply=result.reply if result else "",
            timings=run.timings,
            **fields,
        )
        run.emit(
            VoiceRunEnd, text=turn.text, reply=turn.reply, language=turn.language, outcome=outcome
        )
        return turn

    # -- stage: wake ---------------------------------------------------------------------------

    async def _wait_for_wake(self, audio: AudioInput, run: _Run) -> WakeDetection | None:
        while (chunk := await audio.get()) is not None:
            front = await self.frontend.process(chunk)
            if front.wake:
                return self._woke(run, front.wake[0])
        return None

    def _woke(self, run: _Run, detection: WakeDetection) -> WakeDetection:
        run.emit(
            WakeDetected,
            model=detection.model,
            phrase=detection.phrase,
            probability=detection.probability,
            stream_s=detection.at_s,
        )
        return detection

    # -- stage: vad + stt ----------------------------------------------------------------------

    async def _listen(
        self,
        audio: AudioInput,
        run: _Run,
        *,
        origin_s: float,
        restart_on_wake: bool,
        after_wake: bool,
        timeout_s: float | None,
    ) -> _Heard:
        """Segment the command and stream it to recognition as it is spoken."""
        seg_settings = replace(self.settings.segmenter, no_speech_timeout_s=timeout_s)
        segmenter = Segmenter(seg_settings, origin_s=origin_s)
        floor = origin_s
        settled = not after_wake
        wake: WakeDetection | None = None
        stream: SttStream | None = None
        stream_start = 0.0
        judged = -1.0
        partials: list[str] = []
        options = SttOptions(language=self.settings.stt_language, on_partial=partials.append)
        try:
            while True:
                chunk = await audio.get()
                event: SpeechStarted | SpeechEnded | NoSpeech | None = None
                if chunk is None:
                    event = segmenter.finish(audio.position_s)
                else:
                    front = await self.frontend.process(chunk)
                    if restart_on_wake and front.wake:
                        # The command starts after the wake word: forget what came before.
                        wake = self._woke(run, front.wake[-1])
                        if stream is not None:
                            await stream.cancel()
                            stream = None
                        seg_settings = replace(
                            seg_settings, no_speech_timeout_s=self.settings.command_timeout_s
                        )
                        segmenter = Segmenter(seg_settings, origin_s=wake.at_s)
                        floor, settled = wake.at_s, False
                        continue
                    if stream is not None:
                        await stream.push(chunk)
                    for frame in front.frames:
                        if not settled:
                            # The end of the wake phrase itself is not the command: wait for
                            # the first silent frame after it (at most ``wake_tail_s``).
                            quiet = frame.probability < seg_settings.end_threshold
                            if not quiet and frame.end_s <= floor + self.settings.wake_tail_s:
                                continue
                            settled, floor = True, frame.start_s
                        event = segmenter.process(frame.probability, frame.start_s, frame.end_s)
                        if isinstance(event, SpeechStarted):
                            stream_start = max(floor, event.start_s - seg_settings.pre_roll_s)
                            run.timings.speech_start_s = event.start_s
                            run.emit(VadStart, stream_s=event.start_s)
                            stream = self.stt.start(options)
                            run.emit(SttStart, stream_s=stream_start)
                            await stream.push(self.frontend.recent(stream_start, chunk.end_s))
                            event = None
                        elif event is not None:
                            break
                    if event is None and stream is not None and self._judging(segmenter):
                        judged, event = self._judge(
                            segmenter, stream, stream_start, judged, chunk.end_s, run
                        )
                if isinstance(event, NoSpeech):
                    run.emit(NoSpeechEvent, reason=event.reason)
                    return _Heard(None, wake, event.reason)
                if isinstance(event, SpeechEnded):
                    assert stream is not None
                    return await self._finish(run, stream, stream_start, event, wake)
        except BaseException:
            if stream is not None:
                await stream.cancel()
            raise

    def _judging(self, segmenter: Segmenter) -> bool:
        return (
            self.judge is not None
            and self.settings.semantic_endpointing
            and segmenter.state in (SegmenterState.SPEECH, SegmenterState.TRAILING)
        )

    def _judge(
        self,
        segmenter: Segmenter,
        stream: SttStream,
        stream_start: float,
        judged: float,
        now_s: float,
        run: _Run,
    ) -> tuple[float, SpeechEnded | None]:
        """Judge the newest partial transcript once per recognition pass."""
        assert self.judge is not None
        covered = covered_s(stream)
        if covered is None or covered <= judged:
            return judged, None
        text = stream.partial()
        run.emit(SttPartial, text=text)
        segmenter.set_completeness(self.judge.judge(text), stream_start + covered)
        return covered, segmenter.check_silence(now_s)

    async def _finish(
        self,
        run: _Run,
        stream: SttStream,
        stream_start: float,
        ended: SpeechEnded,
        wake: WakeDetection | None,
    ) -> _Heard:
        timings = run.timings
        timings.speech_end_s = ended.end_s
        timings.decided_s = ended.at_s
        timings.decided_at = time.perf_counter()
        run.emit(
            VadEnd,
            speech_start_s=ended.start_s,
            speech_end_s=ended.end_s,
            decided_s=ended.at_s,
            reason=ended.reason,
        )
        transcript = await stream.finish(speech_end_s=ended.end_s - stream_start)
        timings.stt_end_at = time.perf_counter()
        timings.stt_finish_s = transcript.timings.finish_s
        run.emit(
            SttEnd,
            text=transcript.text,
            language=transcript.language,
            confidence=transcript.confidence,
            finish_s=transcript.timings.finish_s,
        )
        return _Heard(transcript, wake, ended.reason)

    # -- stage: intent + handle ----------------------------------------------------------------

    async def _understand(self, run: _Run, text: str) -> TurnResult:
        """The assistant's turn; its intent-* and handle-* events are relayed under this run."""
        theirs: list[str] = []

        def relay(event: RunEvent) -> None:
            if isinstance(event, RunStart):
                if not theirs and event.device_id == self.scope.device_id:
                    theirs.append(event.run_id)
            elif (
                theirs
                and event.run_id == theirs[0]
                and isinstance(
                    event, IntentStart | IntentEnd | HandleStart | HandleEnd | ErrorEvent
                )
            ):
                self.events.emit(replace(event, run_id=run.id))

        unsubscribe = self.assistant.events.subscribe(relay)
        try:
            result = await self.assistant.handle_text(text, scope=self.scope)
        finally:
            unsubscribe()
        run.timings.intent_end_at = time.perf_counter()
        return result

    # -- stage: tts (with barge-in) ------------------------------------------------------------

    async def _speak(
        self, run: _Run, result: TurnResult, audio: AudioInput, sink: AudioSink
    ) -> tuple[float, str, WakeDetection | None]:
        """Play the reply; returns (seconds played, what interrupted it or "", the wake word
        that did)."""
        played = 0.0
        if not result.reply.strip():
            return played, "", None
        run.emit(TtsStart, text=result.reply, language=result.language)

        async def play() -> None:
            nonlocal played
            async for chunk in self.voice.speak(result.reply, result.language):
                if run.timings.first_audio_at is None:
                    run.timings.first_audio_at = time.perf_counter()
                await sink.play(chunk)
                run.emit(
                    TtsChunk,
                    start_s=played,
                    duration_s=chunk.duration_s,
                    sample_rate=chunk.format.sample_rate,
                )
                played += chunk.duration_s

        speaking = asyncio.create_task(play(), name=f"ting-speak-{run.id[:8]}")
        by, barge = "", None
        try:
            if self.settings.barge_in:
                by, barge = await self._watch(audio, speaking, run)
            if by:
                speaking.cancel()
                sink.interrupt()
            await asyncio.wait({speaking})
        finally:
            if not speaking.done():
                speaking.cancel()
                await asyncio.wait({speaking})
        run.timings.tts_end_at = time.perf_counter()
        run.emit(TtsEnd, audio_s=played, interrupted=bool(by), by=by)
        if not speaking.cancelled() and speaking.exception() is not None:
            raise speaking.exception()  # type: ignore[misc]
        return played, by, barge

    async def _watch(
        self, audio: AudioInput, speaking: asyncio.Task[None], run: _Run
    ) -> tuple[str, WakeDetection | None]:
        """Listen while Ting speaks: ("wake", detection), ("stop", None) or ("", None) when the
        reply finished (or the input ended) first."""
        settings = replace(
            self.settings.segmenter,
            end_silence_s=0.3,
            complete_silence_s=0.3,
            incomplete_silence_s=0.3,
            no_speech_timeout_s=None,
            max_utterance_s=self.settings.max_stop_s + 0.5,
        )
        segmenter = Segmenter(settings, origin_s=audio.position_s)
        while not speaking.done():
            getting = asyncio.ensure_future(audio.get())
            await asyncio.wait({getting, speaking}, return_when=asyncio.FIRST_COMPLETED)
            if not getting.done():
                getting.cancel()
                await asyncio.wait({getting})
            if getting.cancelled():
                break
            chunk = getting.result()
            if chunk is None:
                break
            if speaking.done():
                audio.unget(chunk)
                break
            front = await self.frontend.process(chunk)
            if front.wake:
                return "wake", self._woke(run, front.wake[-1])
            for frame in front.frames:
                event = segmenter.process(frame.probability, frame.start_s, frame.end_s)
                if isinstance(event, SpeechEnded):
                    if await self._is_stop(event):
                        return "stop", None
                    segmenter = Segmenter(settings, origin_s=frame.end_s)
        return "", None

    async def _is_stop(self, said: SpeechEnded) -> bool:
        if said.end_s - said.start_s > self.settings.max_stop_s:
            return False
        clip = self.frontend.recent(said.start_s - 0.2, said.end_s + 0.2)
        if clip.frames == 0:
            return False
        transcript = await self.stt.transcribe(clip, SttOptions(vocabulary=()))
        return _words(transcript.text) in self._stop


def covered_s(stream: SttStream) -> float | None:
    """Seconds of the utterance the latest partial transcript covers, when the stream says
    (``IncrementalStream.covered_s``; streams without it are not judged)."""
    value = getattr(stream, "covered_s", None)
    return float(value) if isinstance(value, int | float) else None


_NOT_WORD = re.compile(r"[^\w\u3400-\u9fff]+")


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()
