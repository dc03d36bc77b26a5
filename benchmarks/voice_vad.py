"""VAD engines compared on what the segmenter needs: speech found, noise refused, a quick drop
after the end of speech, and little CPU. Picks Ting's default VAD.

    .venv/bin/python benchmarks/voice_vad.py [--json OUT]

Corpus: 24 sentences (English and Mandarin, espeak-ng voices, two rates), each with 0.8 s of
silence around it, clean and in pink noise at 20 / 10 / 5 dB SNR; the truth of each 10 ms frame
comes from the clean signal's energy (above -45 dBFS = speech). Plus 60 s of noise alone (pink,
white, mains hum). Reported per engine and SNR: speech recall
and noise false-positive rate at the segmenter's thresholds (0.5 to start, 0.35 to end), the
median delay from the true end of speech to the probability falling below 0.35 for good (the
floor under any end-of-speech decision), and compute per second of audio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ting.audio import SPEECH_FORMAT, AudioChunk, read_audio  # noqa: E402
from ting.vad import MicroVadEngine, SileroVadEngine, VadEngine, frames  # noqa: E402

RATE = SPEECH_FORMAT.sample_rate
SENTENCES = [
    ("en", "What time is it?"),
    ("en", "Set a timer for five minutes."),
    ("en", "Remind me to call my mother tomorrow at six."),
    ("en", "Add eggs and butter to the shopping list."),
    ("en", "Turn off the lights in the living room."),
    ("en", "How much is twelve times seven?"),
    ("en", "Okay."),
    ("en", "Stop."),
    ("zh", "现在几点了"),
    ("zh", "设一个五分钟的计时器"),
    ("zh", "把客厅的灯关掉"),
    ("zh", "明天早上七点叫醒我"),
]


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    noise = np.fft.irfft(spectrum / np.sqrt(np.maximum(np.arange(spectrum.size), 1)), n)
    return (noise / (np.std(noise) + 1e-12)).astype(np.float32)


def truth(clean: np.ndarray) -> np.ndarray:
    win = RATE // 100
    usable = clean[: clean.size // win * win].reshape(-1, win).astype(np.float64)
    return 10 * np.log10(np.mean(usable**2, axis=1) + 1e-12) > -45


def per_10ms(engine: VadEngine, audio: np.ndarray) -> np.ndarray:
    engine.reset()
    scored = list(frames(engine, [AudioChunk(audio, SPEECH_FORMAT)]))
    out = np.zeros(audio.size // (RATE // 100))
    for f in scored:
        out[round(f.start_s * 100) : round(f.end_s * 100)] = f.probability
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed (apt-get install espeak-ng)")
    load = os.getloadavg()[0]
    rng = np.random.default_rng(0)
    folder = Path(tempfile.mkdtemp(prefix="ting-vad-"))
    clips = []
    for language, text in SENTENCES:
        voice = "en-us" if language == "en" else "cmn-latn-pinyin"
        for rate in (150, 190):
            path = folder / "s.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True
            )
            speech = read_audio(path).samples
            speech = speech * (0.5 / (float(np.max(np.abs(speech))) or 1.0))
            pad = np.zeros(int(0.8 * RATE), np.float32)
            clips.append(np.concatenate([pad, speech, pad]).astype(np.float32))
    engines: dict[str, VadEngine] = {"silero": SileroVadEngine(), "micro": MicroVadEngine()}
    report: dict[str, object] = {"date": time.strftime("%Y-%m-%d %H:%M"), "load_average": load}
    for name, engine in engines.items():
        rows = {}
        compute = 0.0
        seconds = 0.0
        for snr in ("clean", "20", "10", "5"):
            recall, delays = [], []
            for clean in clips:
                audio = clean
                if snr != "clean":
                    mask = truth(clean).repeat(RATE // 100)
                    power = float(np.mean(clean[: mask.size][mask].astype(np.float64) ** 2))
                    audio = clean + pink(clean.size, rng) * np.sqrt(power / 10 ** (float(snr) / 10))
                started = time.perf_counter()
                p = per_10ms(engine, audio.astype(np.float32))
                compute += time.perf_counter() - started
                seconds += audio.size / RATE
                t = truth(clean)[: p.size]
                recall.append(float(np.mean(p[t] >= 0.5)))
                last = int(np.nonzero(t)[0][-1])
                above = np.nonzero(p[last:] >= 0.35)[0]
                delays.append(((above[-1] + 1) if above.size else 0) / 100)
            rows[snr] = {
                "speech_recall": round(statistics.mean(recall), 3),
                "end_drop_s_median": round(statistics.median(delays), 3),
            }
        t = np.arange(20 * RATE) / RATE
        hum = 0.05 * np.sin(2 * np.pi * 50 * t) + rng.normal(0, 0.005, t.size)
        noise = np.concatenate([pink(20 * RATE, rng) * 0.05, rng.normal(0, 0.03, 20 * RATE), hum])
        p = per_10ms(engine, noise.astype(np.float32))
        report[name] = {
            "by_snr": rows,
            "noise_false_positive": round(float(np.mean(p >= 0.5)), 3),
            "compute_ms_per_audio_s": round(1000 * compute / seconds, 2),
        }
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
