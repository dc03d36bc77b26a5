"""Text-turn latency, in process, on one CPU core; and the start-up time of ``ting ask``.

    .venv/bin/python benchmarks/text_turn.py [--rounds 30]

Prints the median and p95 of ``Assistant.handle_text`` per turn for skill commands in English
and Mandarin (template matches and paraphrases the statistical models must handle), and the
median wall time of ``ting ask`` next to a bare ``python -c pass`` measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "en": [
        "set a timer for 5 minutes",
        "what time is it in tokyo",
        "how much time is left on the timer",
        "cancel the timer",
        "what's the date next friday",
        "could you time three minutes for me",
        "what can you do",
        "tell me a story about dragons",
    ],
    "zh": [
        "设一个五分钟的计时器",
        "东京现在几点",
        "计时器还剩多少时间",
        "取消计时器",
        "下周五是几号",
        "帮我计个时十分钟",
        "你能做什么",
        "我昨天去了公园",
    ],
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def turn_latency(rounds: int, data_dir: Path) -> dict[str, list[float]]:
    from ting.assistant import Assistant
    from ting.settings import load_settings

    settings = load_settings(data_dir=data_dir, timezone="Asia/Shanghai", seed=1)
    assistant = await Assistant.open(settings)
    timings: dict[str, list[float]] = {"en": [], "zh": []}
    try:
        for _ in range(3):
            for commands in COMMANDS.values():
                for command in commands:
                    await assistant.handle_text(command)
        for _ in range(rounds):
            for language, commands in COMMANDS.items():
                for command in commands:
                    started = time.perf_counter()
                    await assistant.handle_text(command)
                    timings[language].append((time.perf_counter() - started) * 1000)
    finally:
        await assistant.close()
    return timings


def command_time(args: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--startup-runs", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        timings = asyncio.run(turn_latency(args.rounds, data_dir))
        print(
            f"text turn, in process, one core, {args.rounds} rounds x "
            f"{sum(len(c) for c in COMMANDS.values())} commands"
        )
        for language, values in timings.items():
            print(
                f"  {language}: median {statistics.median(values):.2f} ms, "
                f"p95 {percentile(values, 0.95):.2f} ms, max {max(values):.2f} ms"
            )
        everything = [v for values in timings.values() for v in values]
        print(
            f"  all: median {statistics.median(everything):.2f} ms, "
            f"p95 {percentile(everything, 0.95):.2f} ms"
        )
        env = {**os.environ, "TING_DATA_DIR": str(data_dir), "TING_TIMEZONE": "UTC"}
        ask = command_time(
            [sys.executable, "-m", "ting", "ask", "what time is it"], env, args.startup_runs
        )
        bare = command_time([sys.executable, "-c", "pass"], env, args.startup_runs)
        print(
            f"ting ask start-up (cached models), median of {args.startup_runs}: {ask:.0f} ms; "
            f"bare python: {bare:.0f} ms; ratio {ask / bare:.1f}x"
        )


if __name__ == "__main__":
    main()
