"""microWakeWord models (``pymicro-wakeword``: TFLite runtime and four built-in models) as a
``WakeEngine``.

The package's own detector averages probabilities over a window and compares them to the
model's cutoff; Ting only takes the raw per-step probability from it (window of one) and leaves
the decision to ``WakeDetector`` so every model gets the same, configurable policy. One feature
front end (40 mel-like features per 10 ms) feeds all models.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ting.audio import AudioChunk
from ting.errors import ConfigError, EngineError
from ting.wake.base import WakeCapabilities, WakeModelInfo


def builtin_models() -> tuple[str, ...]:
    """Names of the models shipped with pymicro-wakeword (empty when it is not installed)."""
    folder = _package_dir()
    if folder is None:
        return ()
    return tuple(sorted(p.stem for p in (folder / "models").glob("*.json")))


def _package_dir() -> Path | None:
    spec = importlib.util.find_spec("pymicro_wakeword")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


class MicroWakeEngine:
    name = "micro-wakeword"

    def __init__(self, models: Sequence[str] = ("okay_nabu",)) -> None:
        """``models``: built-in model names (``builtin_models()``) or paths to model JSON files."""
        folder = _package_dir()
        if folder is None:
            raise EngineError(
                "wake word detection needs pymicro-wakeword (pip install pymicro-wakeword)"
            )
        if not models:
            raise ConfigError("choose at least one wake word model")
        from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures

        library = next(iter((folder / "lib").glob("*tensorflowlite_c.*")), None)
        if library is None:
            raise EngineError("pymicro-wakeword has no TFLite library for this platform")
        self._features = MicroWakeWordFeatures()
        self._models: list[tuple[str, Any]] = []
        infos = []
        for model in models:
            config_path = _config_path(folder, model)
            config = json.loads(config_path.read_text(encoding="utf-8"))
            micro = config["micro"]
            name = config_path.stem
            if any(name == existing for existing, _ in self._models):
                raise ConfigError(f"wake word model {name!r} is listed twice")
            runner = MicroWakeWord(
                id=name,
                wake_word=config["wake_word"],
                tflite_model=config_path.parent / config["model"],
                probability_cutoff=float(micro["probability_cutoff"]),
                sliding_window_size=1,
                trained_languages=list(config.get("trained_languages", [])),
                libtensorflowlite_c_path=library,
            )
            self._models.append((name, runner))
            infos.append(
                WakeModelInfo(
                    name=name,
                    phrase=str(config["wake_word"]),
                    default_cutoff=float(micro["probability_cutoff"]),
                    default_window=int(micro["sliding_window_size"]),
                    step_s=0.01 * int(runner.stride),
                )
            )
        self._fed = 0
        self.capabilities = WakeCapabilities(models=tuple(infos))

    def process(self, frame: AudioChunk) -> dict[str, float]:
        scores: dict[str, float] = {}
        for features in self._features.process_streaming(frame.to_pcm16()):
            self._fed += 1
            for name, runner in self._models:
                probability = runner.process_streaming_prob(features)
                # The runner returns 0.0 while it gathers a stride of feature windows; only
                # every stride-th window is a real inference step.
                if self._fed % runner.stride == 0 and probability is not None:
                    scores[name] = float(probability)
        return scores

    def reset(self) -> None:
        self._features.reset()
        for _, runner in self._models:
            runner.reset()
        self._fed = 0

    def close(self) -> None:
        for _, runner in self._models:
            runner.close()
        self._models = []


def _config_path(folder: Path, model: str) -> Path:
    if model.endswith(".json"):
        path = Path(model).expanduser()
    else:
        path = folder / "models" / f"{model}.json"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted((folder / "models").glob("*.json")))
        raise ConfigError(f"unknown wake word model {model!r} (built in: {known})")
    return path
