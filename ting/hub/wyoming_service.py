"""Ting as Wyoming services on TCP, for Home Assistant and other Wyoming peers.

Home Assistant's Wyoming integration (and Rhasspy, wyoming-satellite) connect to a TCP port and
talk Wyoming: the same frames as Ting's own protocol (``ting.protocol.frames``), with Wyoming's
events. The hub offers three services there, all with its already loaded engines:

- ``asr``: ``transcribe`` {language?} → ``audio-start`` / ``audio-chunk``s / ``audio-stop`` →
  ``transcript`` {text, language} (faster-whisper; any rate, mono or stereo);
- ``tts``: ``synthesize`` {text, voice: {language?}} → ``audio-start`` / ``audio-chunk``s /
  ``audio-stop`` (Piper for English, Kokoro for Mandarin, 16-bit mono);
- ``handle``: ``transcript`` {text} → ``handled`` {text} with Ting's answer, or ``not-handled``.

Wyoming has no authentication: the port is off unless asked for (``ting serve
--wyoming-port``) and should stay on a trusted network; its conversations belong to one
household (``HubSettings.wyoming_household``). Broken frames get an ``error`` {text, code} and
the connection is closed, as Wyoming peers expect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import numpy as np

from ting import __version__
from ting.audio.format import SPEECH_FORMAT, AudioChunk
from ting.errors import TingError
from ting.hub.command_audio import CommandAudio
from ting.hub.hub import Hub
from ting.lang import detect_language
from ting.protocol import Frame, FrameError, encode_frame, read_frame
from ting.protocol.audio import chunk_event
from ting.protocol.events import AudioChunk as AudioChunkEvent
from ting.skills.base import Scope
from ting.stt.base import SttOptions

_LOGGER = logging.getLogger(__name__)

ATTRIBUTION = {"name": "Ting", "url": "https://github.com/ting-voice/ting"}
LANGUAGES = ["en", "zh"]
MAX_TRANSCRIBE_S = 60.0
"""Longest audio one ``transcribe`` takes, seconds; more is dropped."""


def wyoming_info(hub: Hub) -> dict[str, Any]:
    """The ``info`` event's data, in Wyoming's schema."""

    def program(name: str, description: str, items: str, models: list[dict[str, Any]]) -> Any:
        return {
            "name": name,
            "attribution": ATTRIBUTION,
            "installed": True,
            "description": description,
            "version": __version__,
            items: models,
        }

    def model(name: str, description: str) -> dict[str, Any]:
        return {
            "name": name,
            "attribution": ATTRIBUTION,
            "installed": True,
            "description": description,
            "version": __version__,
            "languages": LANGUAGES,
        }

    info: dict[str, Any] = {
        "handle": [
            program(
                "ting",
                "Ting's skills: timers, alarms, reminders, lists, time, math, announcements",
                "models",
                [model("ting-skills", "English and Mandarin intents")],
            )
        ],
        "asr": [],
        "tts": [],
    }
    if hub.speech is not None:
        info["asr"] = [
            program(
                "ting-whisper",
                "faster-whisper (tiny.en, base), streaming",
                "models",
                [model("ting-whisper", "English and Mandarin")],
            )
        ]
        info["tts"] = [
            program(
                "ting-tts",
                "Piper (English) and Kokoro (Mandarin)",
                "voices",
                [model("ting-en-zh", "Picks the voice by the text's language")],
            )
        ]
    return info


class WyomingService:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._serve, host, port)
        bound = self._server.sockets[0].getsockname()
        return str(bound[0]), int(bound[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = _WyomingSession(self.hub, writer)
        try:
            while (frame := await read_frame(reader, self.hub.settings.limits)) is not None:
                await session.handle(frame)
        except FrameError as err:
            await session.error(err.code, str(err))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception:
            _LOGGER.exception("Wyoming client failed")
            with contextlib.suppress(Exception):
                await session.error("internal", "internal error")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _WyomingSession:
    def __init__(self, hub: Hub, writer: asyncio.StreamWriter) -> None:
        self.hub = hub
        self.writer = writer
        self.language: str | None = None
        self.audio: CommandAudio | None = None
        self.frames: list[np.ndarray] = []

    async def send(
        self, kind: str, data: dict[str, Any] | None = None, payload: bytes = b""
    ) -> None:
        self.writer.write(encode_frame(Frame(kind, data or {}, payload)))
        await self.writer.drain()

    async def error(self, code: str, text: str) -> None:
        with contextlib.suppress(Exception):
            await self.send("error", {"text": text, "code": code})

    async def handle(self, frame: Frame) -> None:
        data = frame.data
        match frame.type:
            case "describe":
                await self.send("info", wyoming_info(self.hub))
            case "transcribe":
                language = data.get("language")
                self.language = language if language in LANGUAGES else None
                self.audio = CommandAudio()
            case "audio-start":
                if self.audio is None:  # audio without "transcribe" first: transcribe anyway
                    self.audio = CommandAudio()
            case "audio-chunk":
                if self.audio is not None:
                    event = AudioChunkEvent(
                        rate=int(data.get("rate", 16000)),
                        width=int(data.get("width", 2)),
                        channels=int(data.get("channels", 1)),
                        payload=frame.payload,
                    )
                    self.audio.feed(event)
            case "audio-stop":
                if self.audio is not None:
                    await self._transcribe(self.audio)
                    self.audio = None
            case "synthesize":
                await self._synthesize(data)
            case "transcript":
                await self._handle_text(str(data.get("text", "")))
            case "ping":
                await self.send("pong", {"text": data.get("text")} if data.get("text") else {})
            case _:
                await self.error("unknown-event", f"Ting does not serve {frame.type!r} here")

    async def _transcribe(self, audio: CommandAudio) -> None:
        if self.hub.speech is None:
            await self.error("no-speech", "this hub runs without speech engines")
            return
        audio.end()
        parts = []
        total = 0
        async for chunk in audio.chunks():
            if total < MAX_TRANSCRIBE_S * SPEECH_FORMAT.sample_rate:
                parts.append(chunk.samples)
                total += chunk.frames
        samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        if samples.size == 0:
            await self.send("transcript", {"text": ""})
            return
        stt = self.hub.speech.stack.stt
        transcript = await stt.transcribe(
            AudioChunk(samples, SPEECH_FORMAT), SttOptions(language=self.language)
        )
        await self.send("transcript", {"text": transcript.text, "language": transcript.language})

    async def _synthesize(self, data: dict[str, Any]) -> None:
        text = str(data.get("text", "")).strip()
        voice = data.get("voice") if isinstance(data.get("voice"), dict) else {}
        language = str(voice.get("language") or "")[:2].lower() if voice else ""
        if language not in LANGUAGES:
            language = detect_language(text).language if text else "en"
            language = language if language in LANGUAGES else "en"
        if self.hub.speech is None or not text:
            await self.error("no-speech", "nothing to say, or no speech engines on this hub")
            return
        started = False
        async for chunk in self.hub.speech.speak(text, language):
            if not started:
                fmt = {"rate": chunk.format.sample_rate, "width": 2, "channels": 1}
                await self.send("audio-start", fmt)
                started = True
            wire = chunk_event(chunk)
            await self.send(
                "audio-chunk",
                {"rate": wire.rate, "width": wire.width, "channels": wire.channels},
                wire.payload,
            )
        if started:
            await self.send("audio-stop")

    async def _handle_text(self, text: str) -> None:
        scope = Scope(household_id=self.hub.settings.wyoming_household, device_id="wyoming")
        try:
            result = await self.hub.assistant.handle_text(text, scope=scope)
        except TingError as err:
            await self.send("not-handled", {"text": str(err)})
            return
        if result.intent is None:
            await self.send("not-handled", {"text": result.reply})
            return
        await self.hub.after_turn(scope, result)
        await self.send("handled", {"text": result.reply})
