"""The hub's speech engines: loaded once, shared by every satellite stream.

Recognition and synthesis engines come from one ``VoiceStack``; the per-stream state (the VAD,
the "front end") is pooled, so a thousand idle speakers cost no VAD sessions and a burst of
commands reuses the same few. The hub runs no wake word detector: the satellite heard it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

from ting.assistant import Assistant
from ting.audio.format import AudioChunk
from ting.events import EventBus
from ting.models import ModelResolver
from ting.pipeline import AudioInput, AudioSink, Frontend, VoiceSettings, VoiceStack, VoiceTurn
from ting.pipeline.pipeline import TurnHandler
from ting.skills.base import Scope
from ting.wake.detector import WakeDetection


class HubSpeech:
    def __init__(self, stack: VoiceStack, max_streams: int = 8) -> None:
        self.stack = stack
        self._idle: list[Frontend] = []
        self._streams = asyncio.Semaphore(max_streams)

    @classmethod
    async def open(
        cls,
        assistant: Assistant,
        resolver: ModelResolver,
        settings: VoiceSettings | None = None,
        *,
        max_streams: int = 8,
    ) -> HubSpeech:
        stack = await VoiceStack.open(assistant, resolver, settings)
        return cls(stack, max_streams)

    async def command(
        self,
        audio: AudioInput,
        sink: AudioSink,
        *,
        turns: TurnHandler,
        scope: Scope,
        events: EventBus,
        woke: WakeDetection | None,
    ) -> VoiceTurn | None:
        """Hear one command in ``audio`` (it starts at once: the speaker heard the wake word,
        ``woke``, or Ting asked), answer it through ``turns`` and speak the reply into
        ``sink``. At most ``max_streams`` commands are heard at the same time; more wait."""
        async with self._streams:
            frontend = self._idle.pop() if self._idle else self.stack.frontend(wake=False)
            try:
                pipeline = self.stack.pipeline(
                    events=events,
                    frontend=frontend,
                    assistant=turns,
                    scope=scope,
                    settings=replace(self.stack.settings.pipeline, barge_in=False),
                )
                return await pipeline.run_turn(
                    audio,
                    sink,
                    wake="none",
                    after=woke,
                    listen_s=self.stack.settings.pipeline.command_timeout_s,
                )
            finally:
                frontend.reset()
                self._idle.append(frontend)

    def speak(self, text: str, language: str) -> AsyncIterator[AudioChunk]:
        return self.stack.speaker.speak(text, language)

    async def aclose(self) -> None:
        for frontend in self._idle:
            frontend.close()
        self._idle.clear()
        await self.stack.aclose()
