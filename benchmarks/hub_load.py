"""How much one hub process carries: idle satellites it holds, and spoken commands at once.

    .venv/bin/python benchmarks/hub_load.py [--idle 2000] [--concurrency 1,2,4,8,12]
                                            [--quick] [--no-idle-part] [--no-voice-part]
                                            [--json OUT]

Goals (2-core machine): ≥ 2,000 idle satellites at ≤ 100 KiB each, and ≥ 8 concurrent spoken
commands at p95 ≤ 2 s from the end of speech to the first reply audio.

**Idle part.** A household with N paired devices is written straight into a fresh
``accounts.db`` with ``AccountStore`` (sign-up, then start → approve → poll pairing per device;
setup, not measured). A text-only hub (``ting serve --no-voice``) starts on it. A separate client
process (``hub_load_client.py``) opens 20 satellites and closes them (warm-up: the first
connection imports the WebSocket stack), then the hub's VmRSS is read, the N satellites connect
(64 handshakes in flight; each sends ``info``, ``describe``, ``state`` and waits for the hub's
``info``) and stay idle ``--hold`` seconds; VmRSS again: ΔRSS / N is the cost of one. Meanwhile
``/healthz`` is called 20 times (median) and must count N satellites.

**Voice part.** A voice hub (``ting serve``) starts on a fresh data folder with one household
per simulated satellite (so wake arbitration never sets two of them against each other; each
command still waits the 0.3 s arbitration window, as a lone speaker does). For each K in
``--concurrency``, K satellites say a command at the same moment (flow 4.2, audio paced in real
time, see ``hub_load_client.py``), for ``max(--rounds, ceil(--min-requests / K))`` rounds.
The commands are synthesized once with Piper (cached in ``$TING_HUB_LOAD_DIR``): 0.3 s of
silence, the speech, then silence until the hub says ``voice-stopped``. Latency = first reply
``audio-chunk`` − the true end of speech. The hub's CPU seconds (user + system, every thread)
are read from ``/proc`` around each K.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "hub"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hubproc import HubProcess, hub_env  # noqa: E402
from voice_latency import words_en  # noqa: E402

from ting.hub.accounts import AccountStore  # noqa: E402

CLIENT = HERE / "hub_load_client.py"
RATE = 16_000
LEAD_S = 0.3
COMMANDS = [
    "What time is it?",
    "Set a timer for twenty minutes.",
    "What is twelve times seven?",
    "Cancel the timer.",
    "What's the date today?",
    "Add milk to my shopping list.",
    "How much time is left on my timer?",
    "Turn on the kitchen light.",
]
PASSWORD = "correct horse battery"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to the hard one; the hub and the client inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of the process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- setup ---------------------------------------------------------------------------------------


async def make_devices(data_dir: Path, households: int, per_household: int) -> list[str]:
    """Households with paired devices in ``data_dir/accounts.db``; their access tokens."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tokens: list[str] = []
    async with await AccountStore.open(data_dir / "accounts.db") as store:
        for h in range(households):
            member = await store.signup(f"bench{h}@example.com", PASSWORD, f"Home {h}", f"B {h}")
            for d in range(per_household):
                grant = await store.start_pairing(f"speaker {h}-{d}")
                await store.approve_pairing(grant.user_code, member)
                polled = await store.poll_pairing(grant.device_code)
                if polled.access_token is None:
                    raise RuntimeError(f"pairing gave {polled}")
                tokens.append(polled.access_token)
    return tokens


def clip_cache() -> Path:
    return Path(os.environ.get("TING_HUB_LOAD_DIR", Path(tempfile.gettempdir()) / "ting-hub-load"))


async def make_clips(data_dir: Path, texts: list[str]) -> list[dict[str, Any]]:
    """Each command spoken by Piper at 16 kHz as int16 ``.npy`` (cached): ``LEAD_S`` of
    silence, then the speech trimmed to its loud part; ``end_s`` is where the speech ends."""
    cache = clip_cache() / "clips"
    cache.mkdir(parents=True, exist_ok=True)
    clips, missing = [], []
    for text in texts:
        path = cache / f"{hashlib.sha1(text.encode()).hexdigest()[:12]}.npy"
        clips.append({"text": text, "path": str(path)})
        if not path.exists():
            missing.append((text, path))
    if missing:
        from ting.audio import resample
        from ting.models import ModelResolver, ModelSettings
        from ting.tts import Speaker

        env = hub_env(data_dir)
        speaker = Speaker.default(ModelResolver(ModelSettings.from_env(data_dir, env)))
        try:
            for text, path in missing:
                spoken = await speaker.synthesize(text, "en")
                samples = resample(spoken.samples, spoken.format.sample_rate, RATE)
                first, last = speech_bounds(samples)
                speech = samples[first:last]
                speech = speech * (0.5 / (float(np.max(np.abs(speech))) or 1.0))
                audio = np.concatenate([np.zeros(int(LEAD_S * RATE), np.float32), speech])
                np.save(path, np.round(np.clip(audio, -1, 1) * 32767).astype(np.int16))
        finally:
            await speaker.aclose()
    for clip in clips:
        samples = np.load(clip["path"])
        clip["end_s"] = round(samples.size / RATE, 3)
        clip["speech_s"] = round(samples.size / RATE - LEAD_S, 3)
    return clips


def speech_bounds(samples: np.ndarray) -> tuple[int, int]:
    """First and last sample of the 10 ms windows above -45 dBFS."""
    win = RATE // 100
    usable = samples[: samples.size // win * win].reshape(-1, win)
    level = 10 * np.log10(np.mean(usable.astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(level > -45)[0]
    if loud.size == 0:
        return 0, samples.size
    return int(loud[0] * win), int((loud[-1] + 1) * win)


def start_hub(data: Path, *, voice: bool) -> HubProcess:
    """``ting serve`` on ``data``; tried twice (on this shared machine a start was once killed
    with nothing in its log)."""
    try:
        return HubProcess(data, voice=voice).start()
    except RuntimeError as err:
        log(f"the hub did not start ({err}); trying again")
        return HubProcess(data, voice=voice).start()


def keep_log(hub: HubProcess, part: str) -> None:
    """Copy the hub's log (and how it exited) beside the clip cache, for a look afterwards."""
    target = clip_cache() / f"hub-{part}.log"
    target.parent.mkdir(parents=True, exist_ok=True)
    code = None if hub.proc is None else hub.proc.returncode
    text = hub.log.read_text(errors="replace") if hub.log.exists() else ""
    target.write_text(f"{text}\n[hub_load] exit code {code}\n")


# -- the client process --------------------------------------------------------------------------


class Client:
    """``hub_load_client.py`` in a subprocess: JSON lines out, a line in to go on."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, mode: str, config: dict[str, Any]) -> Client:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(CLIENT),
            mode,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 << 20,
        )
        client = cls(proc)
        await client.tell(json.dumps(config))
        return client

    async def tell(self, line: str = "go") -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()

    async def next(self, timeout_s: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), timeout_s)
        if not line:
            await self.proc.wait()
            raise RuntimeError(f"the client exited ({self.proc.returncode})")
        record: dict[str, Any] = json.loads(line)
        return record

    async def wait(self) -> None:
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


async def healthz(url: str, calls: int = 20) -> tuple[float, dict[str, Any]]:
    """Median milliseconds of ``calls`` sequential ``GET /healthz``, and the last answer."""
    times, body = [], {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for _ in range(calls):
            began = time.perf_counter()
            answer = await http.get("/healthz")
            times.append(1000 * (time.perf_counter() - began))
            answer.raise_for_status()
            body = answer.json()
    return round(statistics.median(times), 1), body


# -- the two parts -------------------------------------------------------------------------------


async def idle_part(work: Path, n: int, hold_s: float) -> dict[str, Any]:
    data = work / "idle"
    began = time.perf_counter()
    warmup = 20
    tokens = await make_devices(data, 1, n + warmup)
    log(f"idle: {n + warmup} devices paired in {time.perf_counter() - began:.1f} s")
    (data / "warmup.txt").write_text("\n".join(tokens[:warmup]))
    (data / "tokens.txt").write_text("\n".join(tokens[warmup:]))
    hub = start_hub(data, voice=False)
    assert hub.proc is not None
    pid = hub.proc.pid
    try:
        started_kib = rss_kib(pid)
        client = await Client.start("idle", {"url": hub.ws_url, "tokens": str(data / "warmup.txt")})
        await client.next(120)
        await client.tell()
        await client.next(60)
        await client.wait()
        await asyncio.sleep(1.0)
        health_idle_ms, _ = await healthz(hub.url)
        before_kib = rss_kib(pid)
        cpu_before = cpu_s(pid)
        client = await Client.start("idle", {"url": hub.ws_url, "tokens": str(data / "tokens.txt")})
        connected = await client.next(600)
        cpu_connect = cpu_s(pid) - cpu_before
        log(f"idle: {connected['connected']} connected in {connected['connect_s']} s; holding")
        await asyncio.sleep(hold_s)
        after_kib = rss_kib(pid)
        health_ms, health = await healthz(hub.url)
        held_kib = rss_kib(pid)
        await client.tell()
        done = await client.next(120)
        await client.wait()
        await asyncio.sleep(1.0)
        _, health_after = await healthz(hub.url, 1)
        closed_kib = rss_kib(pid)
    finally:
        hub.stop()
        keep_log(hub, "idle")
    delta = after_kib - before_kib
    return {
        "hub": "text-only (ting serve --no-voice)",
        "satellites": n,
        "connected": connected["connected"],
        "connect_failures": connected["failures"],
        "connect_all_s": connected["connect_s"],
        "handshake_p50_ms": connected["handshake_p50_ms"],
        "handshake_p95_ms": connected["handshake_p95_ms"],
        "hub_cpu_connect_s": round(cpu_connect, 2),
        "hold_s": hold_s,
        "rss_started_kib": started_kib,
        "rss_before_kib": before_kib,
        "rss_after_kib": after_kib,
        "rss_after_healthz_kib": held_kib,
        "rss_after_close_kib": closed_kib,
        "kib_per_connection": round(delta / max(1, connected["connected"]), 1),
        "healthz_idle_median_ms": health_idle_ms,
        "healthz_median_ms": health_ms,
        "healthz_satellites": health.get("satellites"),
        "still_open": done["still_open"],
        "closed_early": done["closed_early"],
        "healthz_satellites_after_close": health_after.get("satellites"),
    }


async def voice_part(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    data = work / "voice"
    levels_k = [int(k) for k in args.concurrency.split(",") if k.strip()]
    clips = await make_clips(data, COMMANDS)
    tokens = await make_devices(data, max(levels_k), 1)
    (data / "tokens.txt").write_text("\n".join(tokens))
    began = time.perf_counter()
    hub = start_hub(data, voice=True)
    assert hub.proc is not None
    pid = hub.proc.pid
    log(f"voice: hub up in {time.perf_counter() - began:.1f} s, RSS {rss_kib(pid) // 1024} MiB")
    config = {
        "url": hub.ws_url,
        "tokens": str(data / "tokens.txt"),
        "clips": clips,
        "silence_after_s": args.silence_after,
        "concurrency": levels_k,
        "rounds": args.rounds,
        "min_requests": args.min_requests,
        "timeout_s": 60.0,
        "pause_s": 0.5,
    }
    cpu: dict[int, float] = {}
    try:
        await warm_up(hub, data, clips, args.silence_after)
        client = await Client.start("voice", config)
        while True:
            record = await client.next(600)
            if record["at"] == "level":
                log(f"voice: K={record['k']}, {record['rounds']} rounds")
                cpu[record["k"]] = cpu_s(pid)
            elif record["at"] == "level-end":
                cpu[record["k"]] = cpu_s(pid) - cpu[record["k"]]
            elif record["at"] == "done":
                break
            await client.tell()
        await client.wait()
        exited = hub.proc.poll()
        peak_kib = 0 if exited is not None else rss_kib(pid)
    finally:
        hub.stop()
        keep_log(hub, "voice")
    problems = [
        line
        for line in hub.log.read_text(errors="replace").splitlines()
        if "Traceback" in line or "ERROR" in line or "WARNING" in line
    ]
    levels = []
    for level in record["levels"]:
        rows = level["rows"]
        k = level["k"]
        replied = [r for r in rows if r["outcome"] == "replied" and r["latency_s"] is not None]
        lat = [r["latency_s"] for r in replied]
        wake_tx = [r["wake_to_transcript_s"] for r in replied if r["wake_to_transcript_s"]]

        def median_of(key: str, chosen: list[dict[str, Any]] = replied) -> float | None:
            values = [r[key] for r in chosen if r[key] is not None]
            return round(statistics.median(values), 3) if values else None

        outcomes: dict[str, int] = {}
        for r in rows:
            outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        levels.append(
            {
                "k": k,
                "requests": len(rows),
                "replied": len(replied),
                "failures": len(rows) - len(replied),
                "outcomes": outcomes,
                "p50_s": pct(lat, 0.5),
                "p95_s": pct(lat, 0.95),
                "max_s": max(lat) if lat else None,
                "wake_to_transcript_p50_s": pct(wake_tx, 0.5),
                "wake_to_transcript_p95_s": pct(wake_tx, 0.95),
                "endpoint_p50_s": median_of("endpoint_s"),
                "stopped_to_transcript_p50_s": median_of("stopped_to_transcript_s"),
                "transcript_to_reply_p50_s": median_of("transcript_to_reply_s"),
                "reply_to_audio_p50_s": median_of("reply_to_audio_s"),
                "client_send_lag_max_ms": max((r["max_send_lag_ms"] for r in rows), default=0),
                "hub_cpu_s_per_request": round(cpu[k] / max(1, len(rows)), 2),
                "wall_s": level["wall_s"],
                "transcripts_wrong": sorted(
                    {
                        f"{r['command']} → {r['transcript']}"
                        for r in rows
                        if r["transcript"] and not same_words(r["command"], r["transcript"])
                    }
                ),
            }
        )
    return {
        "hub": "voice (ting serve), max_voice_streams 8, arbitration window 0.3 s",
        "commands": [{k: c[k] for k in ("text", "speech_s")} for c in clips],
        "silence_after_s": args.silence_after,
        "hub_rss_end_mib": peak_kib // 1024,
        "hub_exited": exited,
        "hub_log_problems": problems[-20:],
        "reconnects": record.get("reconnects", 0),
        "drops": record.get("drops", []),
        "levels": levels,
        "rows": [row for level in record["levels"] for row in level["rows"]],
    }


async def warm_up(hub: HubProcess, data: Path, clips: list[dict[str, Any]], silence: float) -> None:
    """One command through the hub before measuring: engines load some things lazily."""
    config = {
        "url": hub.ws_url,
        "tokens": str(data / "tokens.txt"),
        "clips": clips[:1],
        "silence_after_s": silence,
        "concurrency": [1],
        "rounds": 1,
        "min_requests": 1,
        "timeout_s": 120.0,
        "pause_s": 0.0,
    }
    client = await Client.start("voice", config)
    while (record := await client.next(300))["at"] != "done":
        await client.tell()
    await client.wait()
    row = record["levels"][0]["rows"][0]
    log(f"voice: warm-up {row['outcome']}, latency {row['latency_s']} s")


def same_words(a: str, b: str) -> bool:
    """The same English words, numbers spelled out (voice_latency.py's normalization)."""
    return words_en(a) == words_en(b)


# -- report ----------------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def print_report(report: dict[str, Any]) -> None:
    print(
        f"\nHub load, {report['date']}, {os.cpu_count()} cores; load average "
        f"{report['load_average_start'][0]} at start, {report['load_average_end'][0]} at end"
    )
    idle = report.get("idle")
    if idle:
        print(f"\nIdle satellites ({idle['hub']}, held {idle['hold_s']:.0f} s)\n")
        print(
            "| satellites | connected | connect all | hub RSS before → after | KiB / connection "
            "| /healthz median (idle → held) | /healthz count | still open |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(
            f"| {idle['satellites']:,} | {idle['connected']:,} | {idle['connect_all_s']:.1f} s "
            f"| {idle['rss_before_kib'] / 1024:.0f} → {idle['rss_after_kib'] / 1024:.0f} MiB "
            f"| **{idle['kib_per_connection']:.1f}** "
            f"| {idle['healthz_idle_median_ms']:.1f} → {idle['healthz_median_ms']:.1f} ms "
            f"| {idle['healthz_satellites']:,} | {idle['still_open']:,} |"
        )
    voice = report.get("voice")
    if voice:
        print(f"\nConcurrent spoken commands ({voice['hub']})\n")
        print(
            "| K | requests | replied | p50 | p95 | max | wake→transcript p50 / p95 "
            "| endpoint p50 | transcript→reply p50 | reply→audio p50 | hub CPU s / request |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for lv in voice["levels"]:
            print(
                f"| {lv['k']} | {lv['requests']} | {lv['replied']} "
                f"| {fmt(lv['p50_s'], ' s')} | **{fmt(lv['p95_s'], ' s')}** "
                f"| {fmt(lv['max_s'], ' s')} "
                f"| {fmt(lv['wake_to_transcript_p50_s'], ' s')} / "
                f"{fmt(lv['wake_to_transcript_p95_s'], ' s')} "
                f"| {fmt(lv['endpoint_p50_s'], ' s')} "
                f"| {fmt(lv['transcript_to_reply_p50_s'], ' s')} "
                f"| {fmt(lv['reply_to_audio_p50_s'], ' s')} "
                f"| {lv['hub_cpu_s_per_request']:.2f} |"
            )
        if voice["hub_exited"] is not None or voice["reconnects"]:
            print(f"hub exited: {voice['hub_exited']}; sockets dropped: {voice['drops']}")
        for line in voice["hub_log_problems"]:
            print(f"hub log: {line}")
        for lv in voice["levels"]:
            if lv["failures"] or lv["transcripts_wrong"]:
                print(f"K={lv['k']}: outcomes {lv['outcomes']}; misheard {lv['transcripts_wrong']}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle", type=int, default=2000, help="idle satellites (default 2000)")
    parser.add_argument("--hold", type=float, default=10.0, help="seconds they stay idle")
    parser.add_argument("--concurrency", default="1,2,4,8,12", help="commands at once, per step")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per step, at least")
    parser.add_argument("--min-requests", type=int, default=10, help="requests per step, at least")
    parser.add_argument(
        "--silence-after", type=float, default=6.0, help="seconds of silence after the speech"
    )
    parser.add_argument("--quick", action="store_true", help="200 idle, K 1,2: about a minute")
    parser.add_argument("--no-idle-part", action="store_true")
    parser.add_argument("--no-voice-part", action="store_true")
    parser.add_argument("--json", type=Path, help="write the full results here")
    parser.add_argument("--keep", action="store_true", help="keep the hubs' data folders")
    args = parser.parse_args()
    if args.quick:
        args.idle, args.hold, args.concurrency = min(args.idle, 200), 2.0, "1,2"
        args.rounds, args.min_requests = 2, 2
    fd_limit = raise_fd_limit()
    if fd_limit < args.idle + 100:
        raise SystemExit(f"the open-file limit ({fd_limit}) is too low for {args.idle} sockets")
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["benchmarks/hub_load.py", *sys.argv[1:]]),
        "cpus": os.cpu_count(),
        "load_average_start": load_average(),
    }
    log(f"load average {report['load_average_start']}")
    work = Path(tempfile.mkdtemp(prefix="ting-hub-load-"))
    began = time.perf_counter()
    try:
        if not args.no_idle_part and args.idle > 0:
            report["idle"] = await idle_part(work, args.idle, args.hold)
        if not args.no_voice_part:
            report["voice"] = await voice_part(work, args)
    finally:
        if args.keep:
            log(f"data kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report["load_average_end"] = load_average()
    report["wall_s"] = round(time.perf_counter() - began, 1)
    print_report(report)
    summary = {k: v for k, v in report.items() if k != "voice"}
    if "voice" in report:
        summary["voice"] = {k: v for k, v in report["voice"].items() if k != "rows"}
    print("\n" + json.dumps(summary, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
