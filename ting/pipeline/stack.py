"""The voice engines of one device, built from settings and loaded once.

    stack = await VoiceStack.open(assistant, resolver, VoiceSettings())
    pipeline = stack.pipeline()
    ...
    await stack.aclose()

Defaults: microWakeWord "okay_nabu"; Silero VAD (chosen by measurement, see
``docs/benchmarks.md`` "Voice"; ``vad="micro"`` for pymicro-vad); faster-whisper tiny.en +
base, biased towards the skills' words; Piper (joe) for English and Kokoro for Mandarin,
espeak-ng behind both; the NLU judge for semantic endpointing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ting.assistant import Assistant
from ting.errors import ConfigError
from ting.events import EventBus
from ting.models import ModelResolver
from ting.pipeline.endpointing import CompletenessJudge, HeuristicJudge, NluJudge
from ting.pipeline.frontend import Frontend
from ting.pipeline.pipeline import TurnHandler, VoicePipeline
from ting.pipeline.settings import PipelineSettings
from ting.skills.base import Scope
from ting.stt import FasterWhisperEngine, WhisperSettings
from ting.stt.vocabulary import skill_terms
from ting.tts import Speaker, TtsSettings
from ting.vad.base import VadEngine
from ting.wake.detector import WakeDetector, WakeSettings
from ting.wake.micro import MicroWakeEngine


@dataclass(frozen=True)
class VoiceSettings:
    wake: WakeSettings = field(default_factory=WakeSettings)
    """Wake words and their sensitivity."""
    vad: str = "silero"
    """"silero" or "micro"."""
    judge: str = "nlu"
    """Semantic endpointing judge: "nlu", "heuristic" or "none"."""
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    whisper: WhisperSettings = field(default_factory=WhisperSettings)
    tts: TtsSettings = field(default_factory=TtsSettings)
    languages: tuple[str, ...] = ("en", "zh")
    """Languages whose voices are loaded up front."""
    stt_biasing: bool = True
    """Bias recognition towards the skills' words (``skill_vocabulary``)."""


def skill_vocabulary(assistant: Assistant) -> list[str]:
    """The skills' typical words, English and Mandarin, for the recognizer's prompt."""
    terms: list[str] = []
    for language in ("en", "zh"):
        intents = [(spec.skill, spec.examples) for spec in assistant.engine.intents(language)]
        terms += skill_terms(intents, language)
    return terms


def make_vad(name: str) -> VadEngine:
    if name == "silero":
        from ting.vad.silero import SileroVadEngine

        return SileroVadEngine()
    if name == "micro":
        from ting.vad.micro import MicroVadEngine

        return MicroVadEngine()
    raise ConfigError(f"unknown VAD {name!r} (silero, micro)")


def make_judge(name: str, assistant: Assistant) -> CompletenessJudge | None:
    if name == "nlu":
        engine = assistant.engine
        slots = {
            (spec.name, language): tuple(spec.slots)
            for language in ("en", "zh")
            for spec in engine.intents(language)
        }
        return NluJudge(
            lambda text: engine.parse(text, assistant.parse_context()),
            declared_slots=lambda intent, language: slots.get((intent, language), ()),
        )
    if name == "heuristic":
        return HeuristicJudge()
    if name == "none":
        return None
    raise ConfigError(f"unknown endpointing judge {name!r} (nlu, heuristic, none)")


class VoiceStack:
    def __init__(
        self,
        assistant: Assistant,
        settings: VoiceSettings,
        stt: FasterWhisperEngine,
        speaker: Speaker,
        wake: MicroWakeEngine,
    ) -> None:
        self.assistant = assistant
        self.settings = settings
        self.stt = stt
        self.speaker = speaker
        self.wake = wake
        self.load_s = 0.0
        """Seconds ``open`` took to load and warm every engine."""

    @classmethod
    async def open(
        cls, assistant: Assistant, resolver: ModelResolver, settings: VoiceSettings | None = None
    ) -> VoiceStack:
        """Build and load every engine (raises ``ConfigError``/``EngineError`` naming the fix
        when a model or program is missing)."""
        settings = settings or VoiceSettings()
        started = time.perf_counter()
        wake = MicroWakeEngine(settings.wake.names)
        make_vad(settings.vad)  # fail early on a missing VAD
        vocabulary = skill_vocabulary(assistant) if settings.stt_biasing else []
        stt = FasterWhisperEngine(resolver, settings.whisper, vocabulary=vocabulary)
        await stt.load()
        speaker = Speaker.default(resolver, settings.tts)
        await speaker.load(settings.languages)
        stack = cls(assistant, settings, stt, speaker, wake)
        stack.load_s = time.perf_counter() - started
        return stack

    def frontend(self, *, wake: bool = True) -> Frontend:
        """Wake and VAD state for one input stream (the hub pools them). ``wake`` False: VAD
        only, for streams whose wake word was already heard elsewhere (a satellite's)."""
        if not wake:
            return Frontend(make_vad(self.settings.vad))
        detector = WakeDetector(self.wake, self.settings.wake)
        detector.reset()
        return Frontend(make_vad(self.settings.vad), detector)

    def pipeline(
        self,
        *,
        events: EventBus | None = None,
        settings: PipelineSettings | None = None,
        frontend: Frontend | None = None,
        assistant: TurnHandler | None = None,
        scope: Scope | None = None,
    ) -> VoicePipeline:
        """A pipeline for one input stream: its own wake and VAD state unless ``frontend`` is
        handed in; ``assistant`` and ``scope`` default to the stack's assistant and the
        settings' device."""
        return VoicePipeline(
            assistant=assistant or self.assistant,
            stt=self.stt,
            voice=self.speaker,
            frontend=frontend or self.frontend(),
            judge=make_judge(self.settings.judge, self.assistant),
            settings=settings or self.settings.pipeline,
            events=events,
            scope=scope,
        )

    async def aclose(self) -> None:
        await self.stt.aclose()
        await self.speaker.aclose()
        self.wake.close()
