"""``ting ask --audio in.wav --out reply.wav``: one spoken command from a file, the reply to a
file.

The file may start with the wake word or not. The pipeline listens with the wake word
*optional*: speech from the start of the file is taken as the command, and a wake word heard
first restarts the command right after it ("okay nabu, what time is it" and "what time is it"
both work). There is no barge-in: the file was recorded without hearing Ting, so what follows
the command is heard after the reply, not during it. When Ting answers with a question and the
file goes on, the rest is heard as the answer (follow-up, no wake word); otherwise the first
command ends the run and the rest of the file is not read. The file is streamed, never loaded
whole: a 10-minute file costs the first command (at most ``max_utterance_s`` of it), and the
command must begin within ``listen_s`` of the start.

Results, never a crash: a file Ting cannot read is an ``InputError`` (empty, not audio, broken
header); silence or noise is a result with outcome "no-speech" or "not-understood" and no reply
file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ting.audio import audio_info
from ting.errors import InputError
from ting.pipeline.audio_io import AudioInput, CollectingSink, file_source
from ting.pipeline.pipeline import VoicePipeline, VoiceTurn


@dataclass(frozen=True)
class AskResult:
    turns: tuple[VoiceTurn, ...]
    out_path: Path | None
    """Where the reply audio went (None: there was nothing to say)."""
    reply_audio_s: float
    input_s: float
    """Seconds of audio the input file holds."""
    elapsed_s: float
    message: str
    """One line for the user."""

    @property
    def replied(self) -> bool:
        return any(t.outcome in ("replied", "interrupted") for t in self.turns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "out": str(self.out_path) if self.out_path else None,
            "reply_audio_s": round(self.reply_audio_s, 3),
            "input_s": round(self.input_s, 3),
            "elapsed_s": round(self.elapsed_s, 3),
            "turns": [t.to_dict() for t in self.turns],
        }


async def ask_audio(
    pipeline: VoicePipeline,
    audio_path: Path,
    out_path: Path | None,
    *,
    listen_s: float | None = 30.0,
) -> AskResult:
    """Run the command in ``audio_path``; write the spoken reply to ``out_path`` (16-bit mono
    WAV, whole or not at all). ``listen_s``: seconds of the file in which the command must
    begin (a long silent file ends there). Raises ``InputError`` for a file that is not
    readable audio."""
    started = time.perf_counter()
    info = audio_info(audio_path)  # InputError: missing, empty, not audio, broken header
    if info.frames == 0:
        raise InputError(f"{Path(audio_path).name} holds no audio")
    sink = CollectingSink()
    audio = AudioInput(file_source(audio_path))
    try:
        turns = await pipeline.converse(
            audio, sink, first="optional", until_done=True, barge_in=False, first_listen_s=listen_s
        )
    finally:
        await audio.aclose()
    written: Path | None = None
    if sink.chunks and out_path is not None:
        sink.write_wav(Path(out_path))
        written = Path(out_path)
    return AskResult(
        turns=tuple(turns),
        out_path=written,
        reply_audio_s=sink.audio_s,
        input_s=info.duration_s,
        elapsed_s=time.perf_counter() - started,
        message=_message(turns, info.truncated),
    )


def _message(turns: list[VoiceTurn], truncated: bool) -> str:
    note = " (the file is shorter than its header says)" if truncated else ""
    if not turns:
        return "heard no speech in the file" + note
    last = turns[-1]
    match last.outcome:
        case "replied" | "interrupted":
            return f"heard {last.text!r}; replied {last.reply!r}" + note
        case "no-speech":
            return "heard no speech in the file" + note
        case "not-understood":
            return "heard sound but no words (noise?)" + note
        case _:
            return f"could not answer: {last.error}" + note


def print_ask(result: AskResult, *, as_json: bool) -> int:
    """What ``ting ask --audio`` prints; returns the exit status (0 replied, 1 nothing to reply)."""
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for turn in result.turns:
            if turn.text:
                print(f"you:  {turn.text}")
            if turn.reply:
                print(f"ting: {turn.reply}")
        if result.out_path is not None:
            print(f"reply audio: {result.out_path} ({result.reply_audio_s:.1f} s)")
        else:
            print(result.message)
    return 0 if result.replied else 1
