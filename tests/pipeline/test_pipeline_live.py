"""``ting listen`` on a machine without audio devices says so clearly; run events are typed."""

from __future__ import annotations

import dataclasses

import pytest

from ting.errors import EngineError
from ting.events import RunEvent
from ting.pipeline import SPEECH_EVENTS, Frontend, VoicePipeline, audio_devices, listen
from ting.pipeline.testing import EnergyVad, ScriptedAssistant, ScriptedStt, TimedVoice


def test_no_devices_message() -> None:
    problem = audio_devices()
    if problem is None:
        pytest.skip("this machine has a microphone and a speaker")
    assert "ting ask --audio" in problem
    assert any(word in problem for word in ("microphone", "speaker", "PortAudio", "sounddevice"))


async def test_listen_refuses_without_devices() -> None:
    if audio_devices() is None:
        pytest.skip("this machine has a microphone and a speaker")
    pipeline = VoicePipeline(
        assistant=ScriptedAssistant({}),
        stt=ScriptedStt([]),
        voice=TimedVoice(),
        frontend=Frontend(EnergyVad()),
    )
    with pytest.raises(EngineError, match="ting ask --audio"):
        await listen(pipeline)
    await pipeline.aclose()


def test_speech_events_are_frozen_run_events_with_unique_names() -> None:
    names = [kind.type for kind in SPEECH_EVENTS]
    assert len(names) == len(set(names))
    for kind in SPEECH_EVENTS:
        assert issubclass(kind, RunEvent) and dataclasses.is_dataclass(kind)
        assert kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
