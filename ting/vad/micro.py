"""``pymicro-vad`` (the WebRTC-derived micro_speech VAD from ESPHome's stack, C++) as a
``VadEngine``: 10 ms frames, a few microseconds each, no model file."""

from __future__ import annotations

import importlib.util
from typing import Any

from ting.audio import AudioChunk
from ting.errors import EngineError
from ting.vad.base import VadCapabilities


class MicroVadEngine:
    name = "micro-vad"

    def __init__(self) -> None:
        if importlib.util.find_spec("pymicro_vad") is None:
            raise EngineError("this VAD needs pymicro-vad (pip install pymicro-vad)")
        from pymicro_vad import MicroVad

        self._vad: Any = MicroVad()
        self.capabilities = VadCapabilities(frame_ms=10)

    def probability(self, frame: AudioChunk) -> float:
        value = float(self._vad.process_10ms(frame.to_pcm16()))
        # The library answers a negative number while it fills its own feature window.
        return min(1.0, max(0.0, value))

    def reset(self) -> None:
        self._vad.reset()
