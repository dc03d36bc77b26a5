"""``ting satellite``: the speaker side of Ting, light enough for a cheap device.

It captures audio (or reads a WAV for tests), spots the wake word and voice activity locally,
and streams audio to the hub only after a wake, never before. It plays what the hub sends,
shows its state (``state``), reconnects on its own (``connection``, ``backoff``) and keeps the
household's timers and alarms ringing while the hub is gone (``offline``). A mute switch
(``mute``) stops all outgoing audio at the one place that sends it.

Nothing here imports the hub's models (faster-whisper, Piper, Kokoro, misaki) or its NLU:
importing this package loads only the wire protocol, numpy and ``ting.audio``. Layout:
``settings`` (``SatelliteSettings``), ``state``, ``backoff``, ``mute``, ``offline``,
``connection``, ``audio_in``, ``audio_out``, ``local_voice``, ``player``, ``journal``,
``runner`` (ties them together), ``pairing`` and ``cli``.
"""

from ting.satellite.settings import SatelliteSettings
from ting.satellite.state import InvalidTransition, State, StateMachine

__all__ = ["InvalidTransition", "SatelliteSettings", "State", "StateMachine"]
