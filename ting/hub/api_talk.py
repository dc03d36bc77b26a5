"""Talking to Ting from the console: ``/api/ask`` (text), ``/api/ask/audio`` (a recording),
``/api/history``, ``/api/schedule`` and ``/api/announce``. Everything is scoped to the signed-in
member's household; another household's speaker is answered 404 like one that does not exist.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import os
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ting.audio.format import AudioChunk
from ting.hub.accounts import Member
from ting.hub.api_common import (
    ApiError,
    bool_field,
    hub_of,
    iso,
    member_endpoint,
    read_body,
    read_json,
    spoken_text,
    text_field,
)
from ting.hub.hub import Hub
from ting.lang import detect_language
from ting.skills.base import Scope

MAX_HISTORY = 500
"""The most history entries one request returns."""
AUDIO_SUFFIXES = {b"RIFF": ".wav", b"fLaC": ".flac", b"OggS": ".ogg"}
"""Recordings the hub reads, told apart by their first four bytes."""


async def member_scope(hub: Hub, member: Member, device_id: str | None) -> Scope:
    """Whom a console turn is for: one of the household's speakers (404 for any other
    device, another household's included), else the member's own console conversation."""
    if device_id:
        device = await hub.accounts.get_device(member.household_id, device_id)
        if device is None or device.revoked:
            raise ApiError(404, "not_found", f"this household has no speaker {device_id!r}")
    return Scope(
        household_id=member.household_id,
        device_id=device_id or f"console-{member.id}",
        user_id=member.id,
    )


def wav_base64(chunks: list[AudioChunk]) -> str | None:
    """16-bit mono WAV of the chunks, base64-encoded; ``None`` for no audio."""
    if not chunks:
        return None
    samples = np.concatenate([c.samples for c in chunks])
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(chunks[0].format.sample_rate)
        out.writeframes(pcm.tobytes())
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@member_endpoint
async def ask(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    data = await read_json(request)
    text = spoken_text(data)
    device_id = text_field(data, "device_id", required=False, max_chars=200)
    speak = bool_field(data, "speak")
    scope = await member_scope(hub, member, device_id)
    result = await hub.assistant.handle_text(text, scope=scope)
    await hub.after_turn(scope, result)
    audio = wav_base64(await hub.synthesize(result.reply, result.language)) if speak else None
    body: dict[str, Any] = {"result": result.to_dict()}
    if audio is not None:
        body["audio_wav_base64"] = audio
    return JSONResponse(body)


@member_endpoint
async def ask_audio(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    scope = await member_scope(hub, member, request.query_params.get("device_id"))
    recording = await read_body(request, hub.settings.max_request_bytes)
    suffix = AUDIO_SUFFIXES.get(recording[:4])
    if suffix is None:
        raise ApiError(415, "unsupported_audio", "send the recording as WAV or FLAC")
    path = await asyncio.to_thread(_temp_file, recording, suffix)
    try:
        turn, sink = await hub.ask_audio(scope, path)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    if turn is None:
        return JSONResponse(
            {
                "transcript": "",
                "language": "",
                "outcome": "no-speech",
                "result": None,
                "audio_wav_base64": None,
            }
        )
    return JSONResponse(
        {
            "transcript": turn.text,
            "language": turn.language,
            "outcome": turn.outcome,
            "reply": turn.reply,
            "result": turn.result.to_dict() if turn.result is not None else None,
            "audio_wav_base64": wav_base64(sink.chunks),
        }
    )


def _temp_file(data: bytes, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="ting-ask-", suffix=suffix)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return Path(name)


@member_endpoint
async def history(request: Request, member: Member) -> Response:
    store = hub_of(request).assistant.store
    raw_limit = request.query_params.get("limit", "50")
    try:
        limit = int(raw_limit)
    except ValueError:
        raise ApiError(400, "bad_field", "limit must be a whole number") from None
    if not 1 <= limit <= MAX_HISTORY:
        raise ApiError(400, "bad_field", f"limit must be 1 to {MAX_HISTORY}")
    device_id = request.query_params.get("device_id") or None
    entries = await store.history(member.household_id, device_id, limit)
    return JSONResponse(
        [
            {
                "id": entry.id,
                "at": iso(entry.at),
                "device_id": entry.device_id,
                "user_id": entry.user_id,
                "language": entry.language,
                "text": entry.text,
                "intent": entry.intent,
                "reply": entry.reply,
                "actions": entry.actions,
            }
            for entry in entries
        ]
    )


@member_endpoint
async def delete_history(request: Request, member: Member) -> Response:
    store = hub_of(request).assistant.store
    device_id = request.query_params.get("device_id") or None
    deleted = await store.delete_history(member.household_id, device_id)
    return JSONResponse({"deleted": deleted})


@member_endpoint
async def schedule(request: Request, member: Member) -> Response:
    items = await hub_of(request).assistant.store.list_items(member.household_id)
    return JSONResponse(
        [
            {
                "id": item.id,
                "kind": str(item.kind),
                "label": item.label,
                "due_at": iso(item.due_at),
                "state": str(item.state),
                "device_id": item.device_id,
                "recurrence": item.recurrence,
            }
            for item in items
        ]
    )


@member_endpoint
async def announce(request: Request, member: Member) -> Response:
    hub = hub_of(request)
    data = await read_json(request)
    text = spoken_text(data)
    room = text_field(data, "room", required=False, max_chars=200) or None
    language = text_field(data, "language", required=False, max_chars=16)
    if not language:
        guess = detect_language(text).language
        language = guess if guess in ("en", "zh") else "en"
    reached = await hub.announce(member.household_id, text, language, room=room)
    return JSONResponse({"reached": reached})
