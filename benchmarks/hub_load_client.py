"""Simulated satellites for ``benchmarks/hub_load.py``, run in their own process.

    python benchmarks/hub_load_client.py idle|voice < config.json

The process talks to the benchmark through JSON lines: it prints a line when it reaches a
point where the benchmark measures the hub (``{"at": "connected", …}``, ``{"at": "level", …}``)
and waits for a line on its standard input before going on, so the hub's memory and CPU are
read while the satellites are exactly where the figure says. Its last line is ``{"at": "done",
…}`` with the results.

Each satellite does what ``ting satellite`` does (``docs/protocol.md`` §4.1, §4.2): it connects
with its device token, sends ``info``, ``describe`` and ``state`` and waits for the hub's
``info``; a command is ``wake`` → ``state`` listening → ``audio-start`` → 40 ms
``audio-chunk``s in real time (chunk *i* leaves when its audio has "been recorded", at
T0 + (i + 1) × 40 ms) until the hub says ``voice-stopped`` → ``audio-stop`` → ``state``
thinking; the reply is "played" (``state`` speaking, then ``played`` as soon as its
``audio-stop`` arrives: this client does not wait out the playback) → ``state`` idle.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ting.protocol import PROTOCOL_VERSION, FrameError, decode_event, encode_event  # noqa: E402
from ting.protocol import events as ev  # noqa: E402

RATE = 16_000
BLOCK_S = 0.04
AUDIO = {"rate": RATE, "width": 2, "channels": 1}
MAX_MESSAGE = 1 << 20
PING_S = 10.0
"""As ``ting satellite`` (``SatelliteSettings.ping_interval_s``)."""


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


async def wait_for_go() -> None:
    """Block until the benchmark writes a line (it measured the hub meanwhile)."""
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        raise SystemExit("the benchmark went away")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def satellite_info(name: str) -> ev.Info:
    return ev.Info(
        role="satellite",
        name=name,
        protocol=PROTOCOL_VERSION,
        version="0.1.0",
        languages=["en"],
        wake_words=["hey_jarvis"],
        audio=dict(AUDIO),
        capabilities=["audio-out", "offline-timers"],
    )


async def open_satellite(url: str, token: str, name: str, timeout_s: float) -> ClientConnection:
    """Connect like ``ting satellite`` and return once the hub's ``info`` arrived."""
    ws = await connect(
        url,
        additional_headers={"Authorization": f"Bearer {token}"},
        max_size=MAX_MESSAGE,
        open_timeout=timeout_s,
        ping_interval=PING_S,
        ping_timeout=PING_S,
        close_timeout=1.0,
    )
    try:
        await ws.send(encode_event(satellite_info(name)))
        await ws.send(encode_event(ev.Describe()))
        await ws.send(encode_event(ev.SatelliteState("idle")))
        async with asyncio.timeout(timeout_s):
            while True:
                if isinstance(decode_event(await ws.recv()), ev.Info):
                    return ws
    except BaseException:
        await ws.close()
        raise


# -- idle satellites ---------------------------------------------------------------------------


async def drain(ws: ClientConnection) -> None:
    """Read what the hub sends (its ``schedule``) so nothing piles up; ends with the socket."""
    try:
        async for _ in ws:
            pass
    except Exception:  # a closed socket ends the drain; the state is checked later
        pass


async def run_idle(config: dict[str, Any]) -> None:
    raise_fd_limit()
    tokens: list[str] = Path(config["tokens"]).read_text().split()
    gate = asyncio.Semaphore(config.get("parallel", 64))
    sockets: list[ClientConnection] = []
    handshakes: list[float] = []
    failures: dict[str, int] = {}

    async def one(index: int, token: str) -> None:
        async with gate:
            began = time.perf_counter()
            try:
                ws = await open_satellite(config["url"], token, f"idle-{index}", 60.0)
            except Exception as err:
                reason = type(err).__name__
                failures[reason] = failures.get(reason, 0) + 1
                return
            handshakes.append(time.perf_counter() - began)
            sockets.append(ws)

    began = time.perf_counter()
    await asyncio.gather(*(one(i, t) for i, t in enumerate(tokens)))
    connect_s = time.perf_counter() - began
    readers = [asyncio.create_task(drain(ws)) for ws in sockets]
    emit(
        {
            "at": "connected",
            "connected": len(sockets),
            "connect_s": round(connect_s, 2),
            "handshake_p50_ms": round(1000 * (pct(handshakes, 0.5) or 0), 1),
            "handshake_p95_ms": round(1000 * (pct(handshakes, 0.95) or 0), 1),
            "failures": failures,
        }
    )
    await wait_for_go()  # the benchmark held them idle and measured the hub
    still_open = sum(ws.state is State.OPEN for ws in sockets)
    closing = asyncio.Semaphore(256)

    async def close(ws: ClientConnection) -> None:
        async with closing:
            await ws.close()

    await asyncio.gather(*(close(ws) for ws in sockets), return_exceptions=True)
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    emit({"at": "done", "still_open": still_open, "closed_early": len(sockets) - still_open})


# -- voice requests ------------------------------------------------------------------------------


@dataclass
class Run:
    run_id: str
    command: str
    t0: float
    """Wall time (``time.perf_counter``) of the ``wake``: the clip's time 0."""
    end_of_speech_s: float
    """The true end of speech in the clip, seconds after ``t0``."""
    at: dict[str, float] = field(default_factory=dict)
    """Event name → the wall time it first arrived."""
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    reply_done: asyncio.Event = field(default_factory=asyncio.Event)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    won: bool | None = None
    reason: str = ""
    transcript: str = ""
    reply: str = ""
    outcome: str = ""
    errors: list[str] = field(default_factory=list)
    reply_audio_s: float = 0.0
    chunks_sent: int = 0
    max_send_lag_s: float = 0.0

    def row(self) -> dict[str, Any]:
        def since(name: str, origin: float) -> float | None:
            return round(self.at[name] - origin, 3) if name in self.at else None

        speech_end = self.t0 + self.end_of_speech_s
        return {
            "command": self.command,
            "outcome": self.outcome or "none",
            "won": self.won,
            "transcript": self.transcript,
            "reply": self.reply,
            "reason": self.reason,
            "errors": self.errors,
            "latency_s": since("reply-audio", speech_end),
            "wake_result_s": since("wake-result", self.t0),
            "wake_to_transcript_s": since("transcript", self.t0),
            "endpoint_s": since("voice-stopped", speech_end),
            "stopped_to_transcript_s": (
                round(self.at["transcript"] - self.at["voice-stopped"], 3)
                if "transcript" in self.at and "voice-stopped" in self.at
                else None
            ),
            "transcript_to_reply_s": (
                round(self.at["reply"] - self.at["transcript"], 3)
                if "reply" in self.at and "transcript" in self.at
                else None
            ),
            "reply_to_audio_s": (
                round(self.at["reply-audio"] - self.at["reply"], 3)
                if "reply-audio" in self.at and "reply" in self.at
                else None
            ),
            "run_s": since("run-end", self.t0),
            "reply_audio_s": round(self.reply_audio_s, 2),
            "max_send_lag_ms": round(1000 * self.max_send_lag_s, 1),
        }


class VoiceSatellite:
    def __init__(self, name: str, url: str, token: str, ws: ClientConnection) -> None:
        self.name = name
        self.url = url
        self.token = token
        self.ws = ws
        self.runs: dict[str, Run] = {}
        self.reader = asyncio.create_task(self._read())
        self.reconnects = 0
        self.drops: list[str] = []
        """Why the hub's socket went away, each time it did."""

    async def ensure_open(self) -> None:
        """Reconnect (as ``ting satellite`` does) when the hub dropped this socket."""
        if self.ws.state is State.OPEN:
            return
        self.drops.append(f"{self.ws.close_code} {self.ws.close_reason!r}".strip())
        self.ws = await open_satellite(self.url, self.token, self.name, 60.0)
        self.reader = asyncio.create_task(self._read())
        self.reconnects += 1

    async def send(self, event: ev.WireEvent) -> None:
        await self.ws.send(encode_event(event))

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                try:
                    event = decode_event(message)
                except FrameError:
                    continue
                self._on(event, time.perf_counter())
        except Exception:
            pass
        for run in self.runs.values():  # the hub went away: nothing more will come
            run.errors.append("disconnected")
            run.stopped.set()
            run.reply_done.set()
            run.ended.set()

    def _on(self, event: ev.WireEvent, now: float) -> None:
        run = self.runs.get(getattr(event, "run_id", None) or "")
        if run is None:
            return
        name = event.type
        match event:
            case ev.WakeResult(won=won):
                run.won = won
            case ev.VoiceStopped(reason=reason):
                run.reason = reason
                run.stopped.set()
            case ev.Transcript(text=text):
                run.transcript = text
            case ev.Reply(text=text):
                run.reply = text
            case ev.AudioChunk(payload=payload, rate=rate, width=width, channels=channels):
                name = "reply-audio"
                run.reply_audio_s += len(payload) / (rate * width * channels)
            case ev.AudioStop():
                name = "reply-audio-stop"
                run.reply_done.set()
            case ev.Error(code=code, message=text):
                run.errors.append(f"{code}: {text}")
            case ev.RunEnd(outcome=outcome):
                run.outcome = outcome
                run.stopped.set()
                run.reply_done.set()
                run.ended.set()
        run.at.setdefault(name, now)

    async def command(
        self, t0: float, command: str, clip: np.ndarray, end_s: float, timeout_s: float
    ) -> dict[str, Any]:
        """One spoken command, following flow 4.2, starting at the wall time ``t0``."""
        run = Run(uuid.uuid4().hex, command, t0, end_s)
        try:
            await self.ensure_open()
        except (OSError, TimeoutError, ConnectionClosed) as err:
            run.errors.append(f"cannot reach the hub: {err}")
            run.outcome = "hub-unreachable"
            return run.row()
        self.runs[run.run_id] = run
        try:
            await self._command(run, clip, timeout_s)
        except ConnectionClosed as err:
            run.errors.append(f"disconnected: {err}")
            run.outcome = run.outcome or "disconnected"
        finally:
            del self.runs[run.run_id]
        return run.row()

    async def _command(self, run: Run, clip: np.ndarray, timeout_s: float) -> None:
        t0 = run.t0
        await asyncio.sleep(max(0.0, t0 - time.perf_counter()))
        run.t0 = time.perf_counter()  # what the hub sees as the start of the clip
        await self.send(ev.Wake(run.run_id, "hey_jarvis", "hey jarvis", 0.95, -20.0))
        await self.send(ev.SatelliteState("listening"))
        await self.send(ev.AudioStart(**AUDIO, run_id=run.run_id, purpose="command"))
        block = int(BLOCK_S * RATE)
        for i, start in enumerate(range(0, clip.size, block)):
            due = run.t0 + (i + 1) * BLOCK_S
            delay = due - time.perf_counter()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(run.stopped.wait(), delay)
            if run.stopped.is_set():
                break
            run.max_send_lag_s = max(run.max_send_lag_s, time.perf_counter() - due)
            payload = clip[start : start + block].tobytes()
            await self.send(ev.AudioChunk(**AUDIO, run_id=run.run_id, payload=payload))
            run.chunks_sent += 1
        await self.send(ev.AudioStop(run_id=run.run_id))
        await self.send(ev.SatelliteState("thinking"))
        try:
            async with asyncio.timeout(timeout_s):
                await run.reply_done.wait()
                if "reply-audio-stop" in run.at:
                    await self.send(ev.SatelliteState("speaking"))
                    await self.send(ev.Played(run.run_id))
                await run.ended.wait()
        except TimeoutError:
            run.errors.append("timeout")
        await self.send(ev.SatelliteState("idle"))


def load_clips(config: dict[str, Any]) -> list[tuple[str, np.ndarray, float]]:
    clips = []
    for item in config["clips"]:
        samples = np.load(item["path"])
        tail = np.zeros(int(config["silence_after_s"] * RATE), np.int16)
        clips.append((item["text"], np.concatenate([samples, tail]), float(item["end_s"])))
    return clips


async def run_voice(config: dict[str, Any]) -> None:
    raise_fd_limit()
    clips = load_clips(config)
    tokens: list[str] = Path(config["tokens"]).read_text().split()
    url = config["url"]
    satellites = [
        VoiceSatellite(f"voice-{i}", url, t, await open_satellite(url, t, f"voice-{i}", 60.0))
        for i, t in enumerate(tokens)
    ]
    levels = []
    for k in config["concurrency"]:
        rounds = max(config["rounds"], -(-config["min_requests"] // k))
        emit({"at": "level", "k": k, "rounds": rounds})
        await wait_for_go()
        rows: list[dict[str, Any]] = []
        began = time.perf_counter()
        for r in range(rounds):
            t0 = time.perf_counter() + 0.2
            batch = await asyncio.gather(
                *(
                    satellites[j].command(
                        t0,
                        clips[(j + r * k) % len(clips)][0],
                        clips[(j + r * k) % len(clips)][1],
                        clips[(j + r * k) % len(clips)][2],
                        config["timeout_s"],
                    )
                    for j in range(k)
                )
            )
            rows.extend({"k": k, "round": r, "satellite": j, **row} for j, row in enumerate(batch))
            await asyncio.sleep(config["pause_s"])
        levels.append({"k": k, "wall_s": round(time.perf_counter() - began, 2), "rows": rows})
        emit({"at": "level-end", "k": k, "requests": len(rows)})
        await wait_for_go()
    for sat in satellites:
        await sat.ws.close()
        sat.reader.cancel()
    drops = [drop for sat in satellites for drop in sat.drops]
    emit({"at": "done", "levels": levels, "reconnects": len(drops), "drops": drops})


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    config = json.loads(sys.stdin.readline())
    if mode == "idle":
        asyncio.run(run_idle(config))
    elif mode == "voice":
        asyncio.run(run_voice(config))
    else:
        raise SystemExit("usage: hub_load_client.py idle|voice  (a JSON config line on stdin)")


if __name__ == "__main__":
    main()
