"""Text to speech: the protocol (``TtsEngine`` streaming ``AudioChunk``s), the engines (Piper
for English, Kokoro for Mandarin, espeak-ng as the last fallback) and the policy (``Speaker``:
clause-by-clause streaming, a voice per language span, fallback chains, one output format).

Importing this package loads no model and no heavy library: piper, onnxruntime and misaki are
imported when an engine loads.
"""

from ting.tts.base import TtsCapabilities, TtsEngine, TtsVoice
from ting.tts.espeak import EspeakEngine, EspeakSettings
from ting.tts.kokoro import KokoroEngine, KokoroSettings, read_voice_style
from ting.tts.piper import PiperEngine, PiperSettings
from ting.tts.say import SayResult, say_to_file
from ting.tts.speaker import Speaker, TtsSettings
from ting.tts.text import (
    Clause,
    Span,
    normalize_for_speech,
    split_clauses,
    split_language_spans,
)

__all__ = [
    "Clause",
    "EspeakEngine",
    "EspeakSettings",
    "KokoroEngine",
    "KokoroSettings",
    "PiperEngine",
    "PiperSettings",
    "SayResult",
    "Span",
    "Speaker",
    "TtsCapabilities",
    "TtsEngine",
    "TtsSettings",
    "TtsVoice",
    "normalize_for_speech",
    "read_voice_style",
    "say_to_file",
    "split_clauses",
    "split_language_spans",
]
