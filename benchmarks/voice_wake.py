"""Wake word: detection rate on synthesized wake phrases and false accepts per hour of other
speech and noise, for every built-in microWakeWord model at its default sensitivity.

    .venv/bin/python benchmarks/voice_wake.py [--hours 1.0] [--json OUT]

Positives: each model's phrase spoken by Piper joe at three speeds (length_scale 0.85 / 1.0 /
1.2) and by espeak-ng voices en-us, en-gb, en-gb-x-rp, en-029, en-gb-scotland, en+f3 at two
rates (140, 180 wpm), each clean and in pink noise at 20 / 10 / 5 dB SNR, alone in 2 s of
(noisy) silence. A detection of the right model counts; the miss rate is per SNR.

Negatives: a pool of English and Mandarin sentences (the voice benchmark's commands, questions,
chatter) spoken by the same voices, looped with random gaps, gains and speeds into ``--hours``
of audio, pink noise at a random SNR (0-30 dB) over each piece, and one minute in ten of noise
alone (pink, white, hum). All four models listen at once; each detection is a false accept.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ting.audio import SPEECH_FORMAT, AudioChunk, read_audio, resample  # noqa: E402
from ting.models import ModelResolver, ModelSettings  # noqa: E402
from ting.tts import PiperEngine, PiperSettings, Speaker  # noqa: E402
from ting.wake import MicroWakeEngine, WakeDetector, builtin_models  # noqa: E402

RATE = SPEECH_FORMAT.sample_rate
PHRASES = {
    "okay_nabu": "Okay Nabu.",
    "hey_jarvis": "Hey Jarvis.",
    "alexa": "Alexa.",
    "hey_mycroft": "Hey Mycroft.",
}
ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-scotland", "en+f3")
ESPEAK_RATES = (140, 180)
PIPER_SCALES = (0.85, 1.0, 1.2)
SNRS = ("clean", "20", "10", "5")
NEGATIVE_EN = [
    "What time is it?",
    "Set a timer for five minutes.",
    "Remind me to call my mother tomorrow at six.",
    "Add eggs and butter to the shopping list.",
    "Turn off the lights in the living room.",
    "Okay, now we can go.",
    "Hey, are you coming to dinner tonight?",
    "I think Jarvis is the name of the butler.",
    "Alex, can you pass me the salt?",
    "My cousin Mike bought a new bicycle.",
    "The weather is nice, let's go for a walk.",
    "Okay, no problem, I'll be right there.",
    "Hey there, how was your day?",
    "Nobody knows what happened next.",
    "Can you open the window a bit?",
    "We need to buy a new kettle.",
    "Alexander said the train was late again.",
    "Hey Jim, nice to see you.",
    "Okay now, put it on the table.",
    "The microphone picked up the noise from the kitchen.",
]
NEGATIVE_ZH = [
    "今天天气很好，我们出去走走吧。",
    "明天早上七点叫醒我。",
    "把客厅的灯关掉。",
    "你好，请问现在几点了？",
    "我想听一首轻松的音乐。",
    "晚饭吃什么好呢？",
]


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    noise = np.fft.irfft(spectrum / np.sqrt(np.maximum(np.arange(spectrum.size), 1)), n)
    return (noise / (np.std(noise) + 1e-12)).astype(np.float32)


def mix(speech: np.ndarray, snr: str, rng: np.random.Generator, pad_s: float = 0.7) -> np.ndarray:
    pad = np.zeros(int(pad_s * RATE), np.float32)
    peak = float(np.max(np.abs(speech))) or 1.0
    speech = speech * (0.5 / peak)
    audio = np.concatenate([pad, speech, pad])
    if snr != "clean":
        power = float(np.mean(speech.astype(np.float64) ** 2))
        audio = audio + pink_noise(audio.size, rng) * np.sqrt(power / 10 ** (float(snr) / 10))
    return np.clip(audio, -1, 1).astype(np.float32)


def espeak(text: str, voice: str, rate: int, folder: Path) -> np.ndarray:
    path = folder / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True)
    return read_audio(path).samples


async def piper_voices(resolver: ModelResolver) -> list[tuple[str, Speaker]]:
    voices = []
    for scale in PIPER_SCALES:
        engine = PiperEngine(resolver, PiperSettings(length_scale=scale))
        voices.append((f"piper-joe-x{scale}", Speaker({"en": (engine,)})))
    return voices


async def renditions(
    text: str, language: str, piper: list[tuple[str, Speaker]], folder: Path
) -> list[tuple[str, np.ndarray]]:
    out = []
    if language == "en":
        for name, speaker in piper:
            audio = await speaker.synthesize(text, "en")
            out.append((name, resample(audio.samples, audio.format.sample_rate, RATE)))
        voices = [(v, r) for v in ESPEAK_VOICES for r in ESPEAK_RATES]
    else:
        voices = [("cmn-latn-pinyin", 150), ("cmn-latn-pinyin", 190)]
    if shutil.which("espeak-ng"):
        for voice, rate in voices:
            out.append((f"espeak-{voice}-{rate}", espeak(text, voice, rate, folder)))
    return out


CUTOFFS = (None, 0.9, 0.95, 0.97, 0.99)
"""Sensitivities replayed offline (None: the model author's cutoff)."""


class Recording:
    """A WakeEngine proxy that keeps every raw score, so any cutoff can be replayed offline."""

    def __init__(self, engine: MicroWakeEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.capabilities = engine.capabilities
        self.scores: dict[str, list[tuple[float, float]]] = {}
        self.at = 0.0

    def process(self, frame: AudioChunk) -> dict[str, float]:
        scores = self.engine.process(frame)
        for model, p in scores.items():
            self.scores.setdefault(model, []).append((frame.end_s, p))
        return scores

    def reset(self) -> None:
        self.engine.reset()
        self.scores = {}

    def close(self) -> None:
        self.engine.close()


def replay(scores: list[tuple[float, float]], cutoff: float, window: int, refractory: float) -> int:
    """Detections the ``WakeDetector`` policy makes on recorded scores (same rules)."""
    recent: list[float] = []
    quiet_until = float("-inf")
    count = 0
    for at, p in scores:
        recent.append(p)
        if len(recent) > window:
            recent.pop(0)
        if len(recent) == window and sum(recent) / window > cutoff and at >= quiet_until:
            count += 1
            quiet_until = at + refractory
            recent.clear()
    return count


def run_detector(detector: WakeDetector, audio: np.ndarray, block: int = 16_000) -> list[str]:
    detector.reset()
    found = []
    for i in range(0, audio.size, block):
        chunk = AudioChunk(audio[i : i + block], SPEECH_FORMAT, i / RATE)
        found += [d.model for d in detector.process(chunk)]
    return found


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    rng = np.random.default_rng(0)
    data = Path(os.environ.get("TING_BENCH_DIR", "/tmp/ting-voice-bench"))
    resolver = ModelResolver(ModelSettings.from_env(data))
    folder = Path(tempfile.mkdtemp(prefix="ting-wake-"))
    piper = await piper_voices(resolver)
    engine = MicroWakeEngine(builtin_models())
    recording = Recording(engine)
    detector = WakeDetector(recording)
    infos = {m.name: m for m in engine.capabilities.models}

    def hits(model: str, cutoff: float | None) -> int:
        info = infos[model]
        level = info.default_cutoff if cutoff is None else cutoff
        return replay(recording.scores.get(model, []), level, info.default_window, 2.0)

    # -- positives
    positives: dict[str, dict[str, list[int]]] = {}
    misses: list[str] = []
    for model, phrase in PHRASES.items():
        for voice, speech in await renditions(phrase, "en", piper, folder):
            for snr in SNRS:
                found = run_detector(detector, mix(speech, snr, rng))
                hit = model in found
                for cutoff in CUTOFFS:
                    key = f"{model}@{cutoff or 'default'}"
                    positives.setdefault(key, {}).setdefault(snr, []).append(
                        int(hits(model, cutoff) > 0)
                    )
                if not hit:
                    misses.append(f"{model} {voice} {snr}")
    detection = {
        key: {snr: {"n": len(v), "miss_rate": 1 - sum(v) / len(v)} for snr, v in by_snr.items()}
        for key, by_snr in positives.items()
    }
    print(json.dumps(detection, indent=1), flush=True)

    # -- negatives
    pool: list[np.ndarray] = []
    for language, texts in (("en", NEGATIVE_EN), ("zh", NEGATIVE_ZH)):
        for text in texts:
            pool += [audio for _, audio in await renditions(text, language, piper, folder)]
    pool_s = sum(a.size for a in pool) / RATE
    print(f"negative pool: {len(pool)} renditions, {pool_s / 60:.1f} min", flush=True)
    target = int(args.hours * 3600 * RATE)
    detector.reset()
    produced = 0
    false_accepts: dict[str, int] = dict.fromkeys(builtin_models(), 0)
    started = time.perf_counter()
    while produced < target:
        if rng.random() < 0.1:  # a stretch of noise alone
            n = int(rng.uniform(5, 60) * RATE)
            kind = rng.integers(3)
            if kind == 0:
                piece = pink_noise(n, rng) * 0.05
            elif kind == 1:
                piece = rng.normal(0, 0.03, n).astype(np.float32)
            else:
                t = np.arange(n) / RATE
                piece = (0.05 * np.sin(2 * np.pi * 50 * t) + rng.normal(0, 0.005, n)).astype(
                    np.float32
                )
        else:
            speech = pool[rng.integers(len(pool))]
            speed = rng.uniform(0.9, 1.1)
            speech = resample(speech, int(RATE * speed), RATE)
            snr = str(int(rng.uniform(0, 30))) if rng.random() < 0.8 else "clean"
            piece = mix(speech, snr, rng, pad_s=rng.uniform(0.1, 1.0)) * rng.uniform(0.3, 1.0)
        for i in range(0, piece.size, 16_000):
            chunk = AudioChunk(
                piece[i : i + 16_000].astype(np.float32), SPEECH_FORMAT, (produced + i) / RATE
            )
            for d in detector.process(chunk):
                false_accepts[d.model] += 1
        produced += piece.size
    hours = produced / RATE / 3600
    replayed = {
        f"{model}@{cutoff or 'default'}": round(hits(model, cutoff) / hours, 3)
        for model in infos
        for cutoff in CUTOFFS
    }
    compute = time.perf_counter() - started
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_start": round(load_start, 1),
        "load_average_end": round(os.getloadavg()[0], 1),
        "detection": detection,
        "misses": misses,
        "negative_hours": round(hours, 3),
        "false_accepts": false_accepts,
        "false_accepts_per_hour": {m: round(c / hours, 3) for m, c in false_accepts.items()},
        "false_accepts_per_hour_by_cutoff": replayed,
        "wake_compute_s_per_audio_s": round(compute / (produced / RATE), 4),
        "models": [dataclasses.asdict(m) for m in engine.capabilities.models],
    }
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
