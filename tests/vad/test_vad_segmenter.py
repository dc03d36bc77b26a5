"""The segmenter state machine on synthetic probabilities (pure, no audio, no engine)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.errors import ConfigError
from ting.vad import (
    Completeness,
    NoSpeech,
    Segmenter,
    SegmenterSettings,
    SegmenterState,
    SegmentEvent,
    SpeechEnded,
    SpeechStarted,
)

FRAME = 0.032


def feed(seg: Segmenter, probabilities: list[float], start: float = 0.0) -> list[SegmentEvent]:
    events = []
    for i, p in enumerate(probabilities):
        event = seg.process(p, start + i * FRAME, start + (i + 1) * FRAME)
        if event is not None:
            events.append(event)
    return events


def frames(seconds: float, p: float) -> list[float]:
    return [p] * round(seconds / FRAME)


SETTINGS = SegmenterSettings(
    min_speech_s=0.096,
    end_silence_s=0.64,
    complete_silence_s=0.16,
    incomplete_silence_s=1.28,
    max_utterance_s=10.0,
    no_speech_timeout_s=3.2,
)


def test_start_and_end_on_silence() -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, frames(0.32, 0.0) + frames(1.0, 0.9) + frames(1.0, 0.0))
    assert len(events) == 2
    start, end = events
    assert isinstance(start, SpeechStarted) and start.start_s == pytest.approx(0.32)
    assert start.at_s == pytest.approx(0.32 + 3 * FRAME)
    assert isinstance(end, SpeechEnded) and end.reason == "silence"
    assert end.end_s == pytest.approx(0.32 + 31 * FRAME)
    assert end.at_s - end.end_s == pytest.approx(0.64, abs=FRAME)
    assert seg.state is SegmenterState.DONE


def test_a_blip_shorter_than_min_speech_is_not_speech() -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, [*frames(0.3, 0.0), 0.9, 0.9, *frames(0.5, 0.0)])
    assert events == []
    assert seg.state is SegmenterState.WAITING


def test_hysteresis_keeps_speech_between_thresholds() -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, frames(0.2, 0.9) + frames(1.0, 0.4) + frames(0.3, 0.0))
    assert [type(e) for e in events] == [SpeechStarted]
    assert seg.state is SegmenterState.TRAILING
    assert seg.last_speech_end_s == pytest.approx((6 + 31) * FRAME)


def test_a_pause_shorter_than_end_silence_continues_the_utterance() -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, frames(0.5, 0.9) + frames(0.4, 0.0) + frames(0.5, 0.9) + frames(0.8, 0.0))
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    assert isinstance(events[1], SpeechEnded)
    assert events[1].end_s == pytest.approx(round(1.4 / FRAME) * FRAME, abs=FRAME)


def test_no_speech_timeout() -> None:
    seg = Segmenter(SETTINGS, origin_s=1.0)
    events = feed(seg, frames(5.0, 0.1), start=1.0)
    assert len(events) == 1 and isinstance(events[0], NoSpeech)
    assert events[0].reason == "timeout"
    assert events[0].at_s == pytest.approx(4.2, abs=FRAME)


def test_no_timeout_when_none() -> None:
    from dataclasses import replace

    seg = Segmenter(replace(SETTINGS, no_speech_timeout_s=None))
    assert feed(seg, frames(20.0, 0.0)) == []
    assert isinstance(seg.finish(20.0), NoSpeech)


def test_max_utterance_length() -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, frames(12.0, 0.9))
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    end = events[1]
    assert isinstance(end, SpeechEnded) and end.reason == "max-length"
    assert end.at_s - end.start_s == pytest.approx(10.0, abs=FRAME)


def test_end_of_input_closes_open_speech() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    end = seg.finish(1.0)
    assert isinstance(end, SpeechEnded) and end.reason == "end-of-input"
    assert seg.finish(1.0) is None
    assert seg.process(0.9, 1.0, 1.032) is None


def test_complete_verdict_ends_early() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    seg.set_completeness(Completeness.COMPLETE, covers_s=1.0)
    events = feed(seg, frames(1.0, 0.0), start=round(1.0 / FRAME) * FRAME)
    assert len(events) == 1 and isinstance(events[0], SpeechEnded)
    assert events[0].reason == "complete"
    assert events[0].at_s - events[0].end_s == pytest.approx(0.16, abs=FRAME)


def test_incomplete_verdict_waits_longer() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    seg.set_completeness(Completeness.INCOMPLETE, covers_s=1.0)
    events = feed(seg, frames(2.0, 0.0), start=round(1.0 / FRAME) * FRAME)
    assert len(events) == 1 and isinstance(events[0], SpeechEnded)
    assert events[0].reason == "incomplete"
    assert events[0].at_s - events[0].end_s == pytest.approx(1.28, abs=FRAME)


def test_a_stale_verdict_is_ignored() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    seg.set_completeness(Completeness.COMPLETE, covers_s=0.5)  # did not hear the last 0.5 s
    assert seg.completeness is Completeness.UNKNOWN
    events = feed(seg, frames(1.0, 0.0), start=round(1.0 / FRAME) * FRAME)
    assert isinstance(events[0], SpeechEnded) and events[0].reason == "silence"


def test_a_verdict_arriving_during_silence_ends_at_once() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    now = round(1.0 / FRAME) * FRAME
    assert feed(seg, frames(0.3, 0.0), start=now) == []
    assert seg.check_silence(now + 0.3) is None
    seg.set_completeness(Completeness.COMPLETE, covers_s=now)
    end = seg.check_silence(now + 0.3)
    assert isinstance(end, SpeechEnded) and end.reason == "complete"


def test_speech_resuming_makes_the_verdict_stale() -> None:
    seg = Segmenter(SETTINGS)
    feed(seg, frames(1.0, 0.9))
    seg.set_completeness(Completeness.COMPLETE, covers_s=1.0)
    feed(seg, frames(0.1, 0.0) + frames(0.5, 0.9), start=1.0)
    assert seg.completeness is Completeness.UNKNOWN


@pytest.mark.parametrize(
    "bad",
    [
        {"start_threshold": 0.3, "end_threshold": 0.5},
        {"end_silence_s": -1.0},
        {"max_utterance_s": 0.0},
    ],
)
def test_bad_settings(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        SegmenterSettings(**bad)  # type: ignore[arg-type]


def test_fixed_settings_ignore_verdicts() -> None:
    seg = Segmenter(SETTINGS.fixed(0.7))
    feed(seg, frames(1.0, 0.9))
    seg.set_completeness(Completeness.COMPLETE, covers_s=2.0)
    assert seg.required_silence_s() == 0.7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), max_size=400))
def test_any_probabilities_give_a_well_formed_event_sequence(probs: list[float]) -> None:
    seg = Segmenter(SETTINGS)
    events = feed(seg, probs)
    final = seg.finish(len(probs) * FRAME)
    if final is not None:
        events.append(final)
    kinds = [type(e) for e in events]
    assert kinds in ([NoSpeech], [SpeechStarted, SpeechEnded])
    if kinds[-1] is SpeechEnded:
        start, end = events
        assert isinstance(start, SpeechStarted) and isinstance(end, SpeechEnded)
        assert start.start_s <= end.end_s <= end.at_s + 1e-9
        assert end.at_s - start.start_s <= SETTINGS.max_utterance_s + FRAME
