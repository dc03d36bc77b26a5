"""Text-to-speech speed: time to first audio and real-time factor per engine, streaming vs whole.

    .venv/bin/python benchmarks/tts_speed.py [--runs 3] [--engines piper,kokoro,espeak-en,espeak-zh]
                                             [--json out.json]

For each engine and each reply of a small set of typical assistant replies (several clauses):

* ``load_s``     seconds to load the engine (model files, sessions, front end), once;
* ``whole_s``    seconds to synthesize the whole reply in one engine call: what a stack that
                 plays only after the whole reply is synthesized makes the user wait;
* ``first_s``    seconds from ``Speaker.speak`` to its first chunk (clause-by-clause streaming,
                 output resampling included): what Ting makes the user wait;
* ``rtf``        compute seconds / audio seconds of the whole reply (below 1: faster than real
                 time; streaming never stalls when every clause is);
* ``ratio``      ``whole_s / first_s``: how much sooner the first sound comes with streaming;
* ``cpu_s``, ``first_cpu_s``  process CPU seconds (all threads) for the whole reply and up to the
                 first chunk: less sensitive to a busy machine than wall time; on an idle 2-core
                 device the wall time is between ``cpu / 2`` and ``cpu``.

Each figure is the median over ``--runs`` runs per reply, then the median over the replies; one
warm-up synthesis per engine is not counted. The CPU may be shared: medians, not means.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ting.models import ModelResolver, ModelSettings  # noqa: E402
from ting.tts import (  # noqa: E402
    EspeakEngine,
    KokoroEngine,
    PiperEngine,
    Speaker,
    TtsEngine,
    TtsSettings,
    normalize_for_speech,
)

VOICES = ROOT.parent / "shared" / "data" / "voices" / "kokoro-zh"

REPLIES = {
    "en": [
        "Okay, I set a timer for ten minutes. I will let you know when it is done.",
        "Tomorrow in Boston it will be sunny, with a high of 72 degrees and a light breeze.",
        "I turned off the kitchen lights, the hall lights, and the lamp in the living room.",
        "Your shopping list has three items: milk, eggs, and a loaf of bread.",
        "It is 10:15 AM. Your next reminder is at noon, to call the dentist.",
    ],
    "zh": [
        "好的，已经为你设定了十分钟的计时器，时间到了我会提醒你。",
        "明天北京晴，最高气温25度，有微风，适合出门散步。",
        "客厅的灯已经关掉了，卧室和厨房的灯也关了。",
        "你的购物清单上有三样东西：牛奶、鸡蛋和面包。",
        "现在是上午10:15，下一个提醒在中午十二点，记得给牙医打电话。",
    ],
}


def build(name: str, resolver: ModelResolver) -> tuple[TtsEngine, str]:
    if name == "piper":
        return PiperEngine(resolver), "en"
    if name == "kokoro":
        return KokoroEngine(resolver), "zh"
    if name in ("espeak-en", "espeak-zh"):
        return EspeakEngine(), name[-2:]
    raise SystemExit(f"unknown engine {name!r}")


async def whole(engine: TtsEngine, text: str, language: str) -> tuple[float, float, float]:
    """(seconds, CPU seconds, audio seconds) for the reply in one engine call."""
    began, cpu = time.perf_counter(), time.process_time()
    audio = 0.0
    async for chunk in engine.synthesize(normalize_for_speech(text, language), language):
        audio += chunk.duration_s
    return time.perf_counter() - began, time.process_time() - cpu, audio


async def streamed(speaker: Speaker, text: str, language: str) -> tuple[float, float]:
    """(seconds, CPU seconds) to the first chunk through the Speaker."""
    began, cpu = time.perf_counter(), time.process_time()
    first = first_cpu = 0.0
    async for _ in speaker.speak(text, language):
        if not first:
            first, first_cpu = time.perf_counter() - began, time.process_time() - cpu
    return first, first_cpu


async def measure(name: str, resolver: ModelResolver, runs: int) -> dict[str, float | str]:
    engine, language = build(name, resolver)
    began = time.perf_counter()
    await engine.load()
    load_s = time.perf_counter() - began
    speaker = Speaker({language: (engine,)}, TtsSettings(cache_clauses=0))  # honest first clause
    await whole(engine, REPLIES[language][0], language)  # warm-up
    per_reply: list[tuple[float, ...]] = []
    for text in REPLIES[language]:
        rows = []
        for _ in range(runs):
            rows.append(
                (*await whole(engine, text, language), *await streamed(speaker, text, language))
            )
        per_reply.append(tuple(statistics.median(column) for column in zip(*rows, strict=True)))
        seconds, _, _, first, _ = per_reply[-1]
        print(f"  {name}: {text[:30]}… whole {seconds:.2f} s, first {first:.2f} s", file=sys.stderr)

    def median(index: int) -> float:
        return statistics.median(r[index] for r in per_reply)

    return {
        "engine": name,
        "language": language,
        "load_s": round(load_s, 2),
        "audio_s": round(median(2), 2),
        "whole_s": round(median(0), 3),
        "first_s": round(median(3), 3),
        "rtf": round(statistics.median(r[0] / r[2] for r in per_reply), 3),
        "ratio": round(statistics.median(r[0] / r[3] for r in per_reply), 2),
        "cpu_s": round(median(1), 3),
        "first_cpu_s": round(median(4), 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="piper,kokoro,espeak-en,espeak-zh")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args()
    cache = os.environ.get("TING_MODEL_CACHE") or tempfile.mkdtemp(prefix="ting-models-")
    resolver = ModelResolver(
        ModelSettings(cache_dir=Path(cache), voices_dir=VOICES, download=False)
    )
    rows = [await measure(name, resolver, args.runs) for name in args.engines.split(",")]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {args.runs} runs")
    print(
        "| engine | lang | load s | audio s | whole-reply s | first audio s | RTF | ratio "
        "| whole CPU s | first CPU s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['engine']} | {r['language']} | {r['load_s']} | {r['audio_s']} | "
            f"{r['whole_s']} | {r['first_s']} | {r['rtf']} | {r['ratio']}× | {r['cpu_s']} | "
            f"{r['first_cpu_s']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
