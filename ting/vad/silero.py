"""Silero VAD v6 as a ``VadEngine``: the ONNX model that ships inside the ``faster-whisper``
package (``faster_whisper/assets/silero_vad_v6.onnx``), run with onnxruntime (no torch).

32 ms frames (512 samples at 16 kHz); each call sees the previous frame's last 64 samples and
carries the model's LSTM state, as the model was trained. One intra-op thread: the frame is tiny
and the other core belongs to speech recognition.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from ting.audio import AudioChunk
from ting.errors import EngineError
from ting.vad.base import VadCapabilities

_FRAME = 512
_CONTEXT = 64


def silero_model_path() -> Path | None:
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or spec.origin is None:
        return None
    found = sorted((Path(spec.origin).parent / "assets").glob("silero_vad*.onnx"))
    return found[-1] if found else None


class SileroVadEngine:
    name = "silero"

    def __init__(self, model_path: Path | None = None) -> None:
        path = model_path or silero_model_path()
        if path is None or not path.is_file():
            raise EngineError(
                "Silero VAD ships with faster-whisper (pip install faster-whisper onnxruntime)"
            )
        if importlib.util.find_spec("onnxruntime") is None:
            raise EngineError("Silero VAD needs onnxruntime (pip install onnxruntime)")
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        options.log_severity_level = 4
        self._session: Any = onnxruntime.InferenceSession(
            str(path), providers=["CPUExecutionProvider"], sess_options=options
        )
        self.capabilities = VadCapabilities(frame_ms=32)
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)

    def probability(self, frame: AudioChunk) -> float:
        samples = frame.samples
        if samples.shape[0] != _FRAME:
            raise EngineError(f"Silero VAD takes frames of {_FRAME} samples")
        batch = np.concatenate([self._context, samples])[np.newaxis, :]
        output, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = samples[-_CONTEXT:].copy()
        return float(np.asarray(output).reshape(-1)[0])

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)
