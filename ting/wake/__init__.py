"""Wake word: the engine protocol (``WakeEngine``), the detection policy (``WakeDetector``)
and the microWakeWord engine. Importing this package loads no model."""

from ting.wake.base import WakeCapabilities, WakeEngine, WakeModelInfo
from ting.wake.detector import WakeDetection, WakeDetector, WakeModelSettings, WakeSettings
from ting.wake.micro import MicroWakeEngine, builtin_models

__all__ = [
    "MicroWakeEngine",
    "WakeCapabilities",
    "WakeDetection",
    "WakeDetector",
    "WakeEngine",
    "WakeModelInfo",
    "WakeModelSettings",
    "WakeSettings",
    "builtin_models",
]
