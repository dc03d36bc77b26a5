"""The pipeline's control flow with fake engines (ting.pipeline.testing): stages and events,
wake modes, barge-in, follow-up listening, semantic endpointing. No models, fast."""

from __future__ import annotations

import numpy as np
import pytest

from ting.pipeline import (
    AudioInput,
    CollectingSink,
    Frontend,
    PipelineSettings,
    VoicePipeline,
    array_source,
)
from ting.pipeline.endpointing import HeuristicJudge
from ting.pipeline.testing import (
    EnergyVad,
    ScriptedAssistant,
    ScriptedStt,
    TimedVoice,
    recorder,
    silence,
    speech,
    wake_tone,
)
from ting.vad import Completeness, SegmenterSettings
from ting.wake import WakeDetector

SEGMENTS = SegmenterSettings(
    min_speech_s=0.05,
    end_silence_s=0.4,
    complete_silence_s=0.1,
    incomplete_silence_s=1.0,
    pre_roll_s=0.1,
    no_speech_timeout_s=3.0,
)
REPLIES = {
    "what time is it": ("It is noon.", None),
    "set a timer": ("For how long?", "duration"),
    "five minutes": ("Timer set for five minutes.", None),
}


def build(
    texts: list[str],
    *,
    settings: PipelineSettings | None = None,
    voice: TimedVoice | None = None,
    judge: object = None,
) -> tuple[VoicePipeline, ScriptedAssistant, ScriptedStt, TimedVoice]:
    from ting.pipeline.testing import ToneWake

    assistant = ScriptedAssistant(REPLIES)
    stt = ScriptedStt(list(texts))
    voice = voice or TimedVoice()
    pipeline = VoicePipeline(
        assistant=assistant,
        stt=stt,
        voice=voice,
        frontend=Frontend(EnergyVad(), WakeDetector(ToneWake())),
        judge=judge,  # type: ignore[arg-type]
        settings=settings or PipelineSettings(segmenter=SEGMENTS, follow_up_s=2.0),
    )
    return pipeline, assistant, stt, voice


async def run(
    pipeline: VoicePipeline, audio: np.ndarray, *, pace: float | None = None, **kwargs: object
) -> tuple[list, CollectingSink]:  # type: ignore[type-arg]
    sink = CollectingSink()
    source = AudioInput(array_source(audio, block_s=0.02, pace=pace))
    try:
        turns = await pipeline.converse(source, sink, **kwargs)  # type: ignore[arg-type]
    finally:
        await source.aclose()
        await pipeline.aclose()
    return turns, sink


async def test_wake_command_reply_with_events_in_order() -> None:
    pipeline, assistant, _, voice = build(["what time is it"])
    seen = recorder(pipeline.events)
    audio = np.concatenate([silence(0.5), wake_tone(), silence(0.3), speech(0.8), silence(1.0)])
    turns, sink = await run(pipeline, audio)
    assert [t.outcome for t in turns] == ["replied"]
    turn = turns[0]
    assert turn.wake is not None and turn.wake.model == "tone"
    assert turn.text == "what time is it" and turn.reply == "It is noon."
    assert assistant.heard == ["what time is it"]
    assert sink.audio_s == pytest.approx(0.1 * 2 * 3)
    assert turn.timings.speech_start_s == pytest.approx(1.1, abs=0.05)
    assert turn.timings.speech_end_s == pytest.approx(1.9, abs=0.05)
    events = seen()
    order = [
        "wake-detected",
        "vad-start",
        "stt-start",
        "vad-end",
        "stt-end",
        "intent-start",
        "intent-end",
        "tts-start",
        "tts-chunk",
        "tts-end",
        "run-end",
    ]
    positions = [events.index(name) for name in order]
    assert positions == sorted(positions), events
    assert "run-start" not in events  # the assistant's own run is folded into the voice run
    assert voice.finished == ["It is noon."]


async def test_without_the_wake_word_nothing_happens() -> None:
    pipeline, assistant, _, _ = build(["what time is it"])
    turns, sink = await run(pipeline, np.concatenate([speech(1.0), silence(1.0)]))
    assert turns == [] and assistant.heard == [] and sink.chunks == []


async def test_optional_wake_takes_the_whole_input_as_the_command() -> None:
    pipeline, assistant, _, _ = build(["what time is it"])
    audio = np.concatenate([silence(0.3), speech(0.8), silence(0.8)])
    turns, _ = await run(pipeline, audio, first="optional", until_done=True)
    assert [t.outcome for t in turns] == ["replied"] and turns[0].wake is None
    assert assistant.heard == ["what time is it"]


async def test_optional_wake_restarts_after_a_wake_word() -> None:
    pipeline, _, _, _ = build(["what time is it"])
    audio = np.concatenate([wake_tone(), silence(0.4), speech(0.8), silence(0.8)])
    turns, _ = await run(pipeline, audio, first="optional", until_done=True)
    assert turns[0].wake is not None
    assert turns[0].timings.speech_start_s == pytest.approx(0.7, abs=0.05)


async def test_no_speech_after_the_wake_word_times_out() -> None:
    pipeline, assistant, _, _ = build([])
    seen = recorder(pipeline.events)
    audio = np.concatenate([wake_tone(), silence(4.0)])
    turns, _ = await run(pipeline, audio)
    assert [t.outcome for t in turns] == ["no-speech"] and assistant.heard == []
    assert "no-speech" in seen() and seen()[-1] == "run-end"


async def test_noise_without_words_is_not_understood() -> None:
    pipeline, assistant, _, _ = build([""])
    audio = np.concatenate([wake_tone(), silence(0.3), speech(0.6), silence(1.0)])
    turns, sink = await run(pipeline, audio)
    assert [t.outcome for t in turns] == ["not-understood"]
    assert assistant.heard == [] and sink.chunks == []


FILE_LIKE = PipelineSettings(segmenter=SEGMENTS, follow_up_s=2.0, barge_in=False)
"""Unpaced input arrives all at once: what follows a reply is heard after it, not during it."""


async def test_follow_up_answer_needs_no_wake_word() -> None:
    pipeline, assistant, _, _ = build(
        ["set a timer", "five minutes", "what time is it"], settings=FILE_LIKE
    )
    audio = np.concatenate(
        [
            wake_tone(),
            silence(0.3),
            speech(0.6),
            silence(0.8),  # "set a timer"
            silence(0.3),
            speech(0.6, seed=1),
            silence(0.8),  # "five minutes", no wake
            silence(0.3),
            speech(0.6, seed=2),
            silence(0.8),  # ignored: no wake, no question
        ]
    )
    turns, _ = await run(pipeline, audio)
    assert [t.reply for t in turns] == ["For how long?", "Timer set for five minutes."]
    assert turns[1].wake is None
    assert assistant.heard == ["set a timer", "five minutes"]


async def test_follow_up_window_closes() -> None:
    pipeline, assistant, _, _ = build(["set a timer", "five minutes"], settings=FILE_LIKE)
    audio = np.concatenate(
        [wake_tone(), silence(0.3), speech(0.6), silence(0.8), silence(3.0), speech(0.6)]
    )
    turns, _ = await run(pipeline, audio)
    assert [t.outcome for t in turns] == ["replied", "no-speech"]
    assert assistant.heard == ["set a timer"]


async def test_barge_in_with_the_wake_word_cancels_speaking() -> None:
    # A long reply (40 chunks, 25 ms apart: 1 s of wall time) while the input, paced at real
    # time, says the wake word and a new command.
    voice = TimedVoice(delay_s=0.025, chunks_per_word=20)
    pipeline, assistant, _, _ = build(["set a timer", "what time is it"], voice=voice)
    seen = recorder(pipeline.events)
    audio = np.concatenate(
        [
            wake_tone(),
            silence(0.2),
            speech(0.5),
            silence(0.6),
            silence(0.2),
            wake_tone(),
            silence(0.2),
            speech(0.5, seed=3),
            silence(0.8),
        ]
    )
    turns, sink = await run(pipeline, audio, pace=1.0, max_turns=2)
    assert [t.outcome for t in turns] == ["interrupted", "replied"]
    assert turns[0].interrupted_by == "wake" and turns[0].reply_audio_s < 3 * 0.1 * 20
    assert turns[1].wake is turns[0].barge_wake is not None
    assert turns[1].text == "what time is it"
    assert voice.started == ["For how long?", "It is noon."]
    assert voice.finished == ["It is noon."]
    assert sink.interrupted == 1
    # tts-end and run-end of the interrupted turn still come, in order
    events = seen()
    first_end = events.index("run-end")
    assert events.index("tts-end") < first_end
    assert assistant.heard == ["set a timer", "what time is it"]


async def test_barge_in_with_stop() -> None:
    voice = TimedVoice(delay_s=0.025, chunks_per_word=20)
    pipeline, _, stt, _ = build(["set a timer", "Stop."], voice=voice)
    audio = np.concatenate(
        [wake_tone(), silence(0.2), speech(0.5), silence(0.6), speech(0.3, seed=4), silence(1.5)]
    )
    turns, sink = await run(pipeline, audio, pace=1.0)
    assert [t.outcome for t in turns] == ["interrupted"]
    assert turns[0].interrupted_by == "stop"
    assert voice.finished == [] and sink.interrupted == 1
    assert stt.heard == ["set a timer", "Stop."]


async def test_other_speech_while_speaking_does_not_interrupt() -> None:
    voice = TimedVoice(delay_s=0.025, chunks_per_word=10)
    pipeline, _, _, _ = build(["what time is it", "nice weather today"], voice=voice)
    audio = np.concatenate(
        [wake_tone(), silence(0.2), speech(0.5), silence(0.6), speech(0.3, seed=4), silence(1.0)]
    )
    turns, _ = await run(pipeline, audio, pace=1.0)
    assert [t.outcome for t in turns] == ["replied"]
    assert voice.finished == ["It is noon."]


async def test_semantic_endpointing_ends_a_complete_command_early() -> None:
    class Always:
        def __init__(self, verdict: Completeness) -> None:
            self.verdict = verdict

        def judge(self, text: str, language: str | None = None) -> Completeness:
            return self.verdict

    audio = np.concatenate([wake_tone(), silence(0.3), speech(0.8), silence(2.0)])
    waits = {}
    for verdict in Completeness:
        pipeline, _, _, _ = build(["what time is it"], judge=Always(verdict))
        turns, _ = await run(pipeline, audio)
        t = turns[0].timings
        assert t.decided_s is not None and t.speech_end_s is not None
        waits[verdict] = (round(t.decided_s - t.speech_end_s, 2), turns[0].endpoint)
    assert waits[Completeness.COMPLETE] == (pytest.approx(0.1, abs=0.03), "complete")
    assert waits[Completeness.UNKNOWN] == (pytest.approx(0.4, abs=0.03), "silence")
    assert waits[Completeness.INCOMPLETE] == (pytest.approx(1.0, abs=0.03), "incomplete")


async def test_unfinished_words_keep_listening_through_a_pause() -> None:
    # "set a timer for" … pause 0.7 s (longer than the default 0.4 s) … "five minutes"
    pipeline, _, _, _ = build(["set a timer for"], judge=HeuristicJudge())
    audio = np.concatenate(
        [wake_tone(), silence(0.3), speech(0.8), silence(0.7), speech(0.5, seed=5), silence(1.5)]
    )
    turns, _ = await run(pipeline, audio)
    assert len(turns) == 1
    assert turns[0].timings.speech_end_s == pytest.approx(0.3 + 0.3 + 0.8 + 0.7 + 0.5, abs=0.05)
