"""One speaker, a few spoken commands, through a real voice hub: when does the hub end the
command and when does the first reply audio arrive, measured from the true end of speech?

    .venv/bin/python benchmarks/hub_turn.py [--rounds 3]

Starts ``ting serve`` (voice) in a temporary folder, pairs one simulated satellite over the REST
API, and sends each command as ``ting satellite`` would (flow 4.2: ``wake``, 40 ms
``audio-chunk``s in real time, stop at ``voice-stopped``). Commands are Piper-synthesized,
trimmed to the speech (-45 dBFS, as ``hub_load.py`` does) so the end of speech is exact.
Prints per command and the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hub"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hub_load import speech_bounds  # noqa: E402
from hubproc import Console, HubProcess  # noqa: E402

from ting.audio.format import float_to_pcm16  # noqa: E402
from ting.audio.resample import resample  # noqa: E402
from ting.models import ModelResolver, ModelSettings  # noqa: E402
from ting.protocol import decode_event, encode_event  # noqa: E402
from ting.protocol import events as ev  # noqa: E402
from ting.tts import PiperEngine, Speaker  # noqa: E402

COMMANDS = ("What time is it?", "Cancel the timer.", "What is twelve times seven?")
RATE = 16000
BLOCK = 640  # 40 ms


async def clips(cache: Path) -> list[tuple[str, np.ndarray, float]]:
    speaker = Speaker({"en": (PiperEngine(ModelResolver(ModelSettings(cache_dir=cache))),)})
    made = []
    for text in COMMANDS:
        spoken = await speaker.synthesize(text, "en")
        samples = resample(spoken.samples, spoken.format.sample_rate, RATE)
        first, last = speech_bounds(samples)
        speech = samples[first:last] * (0.5 / float(np.max(np.abs(samples[first:last]))))
        lead = np.zeros(int(0.3 * RATE), np.float32)
        tail = np.zeros(int(3.0 * RATE), np.float32)
        made.append((text, np.concatenate([lead, speech, tail]), (lead.size + speech.size) / RATE))
    await speaker.aclose()
    return made


async def command(ws: websockets.ClientConnection, run_id: str, clip: np.ndarray, end_s: float):
    await ws.send(encode_event(ev.Wake(run_id, "alexa", "alexa", 0.95, -20.0)))
    await ws.send(encode_event(ev.AudioStart(RATE, 2, 1, run_id)))
    t0 = time.perf_counter()
    seen: dict[str, float] = {}
    reason = ""

    async def read() -> None:
        nonlocal reason
        while True:
            event = decode_event(await ws.recv())
            if getattr(event, "run_id", None) != run_id:
                continue
            seen.setdefault(event.type, time.perf_counter() - t0 - end_s)
            if isinstance(event, ev.VoiceStopped):
                reason = event.reason
            if isinstance(event, ev.RunEnd):
                return

    reader = asyncio.create_task(read())
    for i in range(0, clip.size, BLOCK):
        if "voice-stopped" in seen:
            break
        await asyncio.sleep(max(0.0, t0 + (i + BLOCK) / RATE - time.perf_counter()))
        pcm = float_to_pcm16(clip[i : i + BLOCK]).tobytes()
        await ws.send(encode_event(ev.AudioChunk(RATE, 2, 1, run_id, pcm)))
    await ws.send(encode_event(ev.AudioStop(run_id)))
    await asyncio.wait_for(reader, 30)
    return seen.get("voice-stopped"), seen.get("audio-start"), reason


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ting-hub-turn-"))
    cache = Path(os.environ.get("TING_MODEL_CACHE", work / "models"))
    made = await clips(cache)
    print(f"load average {os.getloadavg()[0]:.2f}; starting a voice hub …", flush=True)
    hub = HubProcess(work / "hub", voice=True).start()
    console = Console(hub)
    try:
        console.signup("bench@example.com", "Bench")
        token = console.pair("Bench speaker")["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        async with websockets.connect(hub.ws_url, additional_headers=headers) as ws:
            await ws.send(
                encode_event(ev.Info(role="satellite", name="b", protocol="1.0", version="b"))
            )
            await ws.send(encode_event(ev.Describe()))
            ends, firsts = [], []
            for n in range(args.rounds):
                for text, clip, end_s in made:
                    stopped, audio, reason = await command(ws, f"r{n}-{text[:8]}", clip, end_s)
                    print(
                        f"{text:30} voice-stopped {stopped:+.3f} s ({reason}), "
                        f"first reply audio {audio:+.3f} s",
                        flush=True,
                    )
                    ends.append(stopped)
                    firsts.append(audio)
        print(
            f"median over {len(ends)}: end of command {statistics.median(ends):.3f} s, "
            f"first reply audio {statistics.median(firsts):.3f} s after the end of speech; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    finally:
        console.close()
        hub.stop()


if __name__ == "__main__":
    asyncio.run(main())
