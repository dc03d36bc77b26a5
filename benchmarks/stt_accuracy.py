"""Speech recognition accuracy and speed on the real clips in ``../shared/data/audio``.

    .venv/bin/python benchmarks/stt_accuracy.py [--runs 3] [--threads 2] [--stream]

For each clip with a reference transcript: WER (English) or CER (Mandarin), the language the
router chose, and the median compute time and real-time factor (compute / audio) over ``--runs``
runs; in three biasing modes:

* ``none``      no vocabulary in the prompt;
* ``skills``    the vocabulary the voice stack uses (``ting.stt.vocabulary.skill_terms`` over
                the built-in skills' examples), which the clips do not contain: what
                biasing costs when it does not apply;
* ``in-domain`` the same vocabulary plus each corpus's rare words: what it gains when it does.

``--stream`` also feeds each clip at real-time pace into a stream (partials every 0.4 s) and
reports how long ``finish`` takes after the end of speech: the recognition latency a user feels.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ting.audio import SPEECH_FORMAT, AudioChunk, read_audio  # noqa: E402
from ting.models import ModelResolver, ModelSettings  # noqa: E402
from ting.stt import FasterWhisperEngine, SttOptions, WhisperSettings  # noqa: E402

AUDIO = ROOT.parent / "shared" / "data" / "audio"
CLIPS = {
    "en_jfk.flac": "And so my fellow Americans, ask not what your country can do for you, ask "
    "what you can do for your country.",
    "en_libri_1995-1837-0001.wav": "IT WAS THE FIRST GREAT SORROW OF HIS LIFE IT WAS NOT SO MUCH "
    "THE LOSS OF THE COTTON ITSELF BUT THE FANTASY THE HOPES THE DREAMS BUILT AROUND IT",
    "en_vosk_test.wav": "one zero zero zero one nine oh two one oh zero one eight zero three",
    "zh_aishell_BAC009S0724W0121.wav": "广州市房地产中介协会分析",
    "zh_funasr_asr_example.wav": "欢迎大家来体验达摩院推出的语音识别模型",
    "funasr_sample.wav": "我想问我在滨海新区有房",
}


def skills_vocabulary() -> list[str]:
    """What ``VoiceStack`` puts in the prompt: the built-in skills' typical words."""
    from ting.skills.loader import build_domain, discover_skill_classes, load_skill_packages
    from ting.stt.vocabulary import skill_terms

    domain = build_domain(load_skill_packages(discover_skill_classes()))
    terms: list[str] = []
    for language in ("en", "zh"):
        terms += skill_terms([(i.skill, i.examples) for i in domain.intents(language)], language)
    return terms


SKILLS = skills_vocabulary()
IN_DOMAIN = [
    "Americans",
    "cotton",
    "fantasy",
    "房地产",
    "中介协会",
    "达摩院",
    "语音识别",
    "滨海新区",
]
MODES = {"none": [], "skills": SKILLS, "in-domain": IN_DOMAIN + SKILLS}
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def words(text: str) -> list[str]:
    text = re.sub(r"\d", lambda m: f" {DIGITS[int(m.group())]} ", text.lower())
    tokens = re.findall(r"[a-z']+", text)
    return ["zero" if token == "oh" else token for token in tokens]


def hanzi(text: str) -> list[str]:
    return re.findall(r"[\u4e00-\u9fff]", text)


def edits(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def error_rate(name: str, hypothesis: str, reference: str) -> tuple[int, int]:
    split = words if name.startswith("en_") else hanzi
    ref = split(reference)
    return edits(split(hypothesis), ref), len(ref)


async def stream_latency(engine: FasterWhisperEngine, audio: AudioChunk) -> tuple[float, str]:
    stream = engine.start()
    samples = np.concatenate([audio.samples, np.zeros(int(0.5 * 16000), np.float32)])
    block = 1600
    begin = time.perf_counter()
    for index, offset in enumerate(range(0, samples.size, block)):
        await stream.push(AudioChunk(samples[offset : offset + block], SPEECH_FORMAT))
        delay = begin + (index + 1) * block / 16000 - time.perf_counter()
        await asyncio.sleep(max(0.0, delay))
    transcript = await stream.finish(speech_end_s=audio.duration_s)
    return transcript.timings.finish_s, transcript.text


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "ting-models"))
    args = parser.parse_args()
    if not AUDIO.is_dir():
        sys.exit(f"no clips: {AUDIO} is absent")
    resolver = ModelResolver(ModelSettings(cache_dir=Path(args.cache), download=False))
    settings = WhisperSettings(cpu_threads=args.threads, bias_languages=("en", "zh"))
    engine = FasterWhisperEngine(resolver, settings)
    started = time.perf_counter()
    await engine.load()
    print(f"models loaded in {time.perf_counter() - started:.1f} s")
    clips = {name: read_audio(AUDIO / name) for name in CLIPS if (AUDIO / name).is_file()}
    print(f"{'mode':<10} {'clip':<32} {'lang':<4} {'err':>6} {'med s':>6} {'RTF':>5}  text")
    totals: dict[tuple[str, str], list[int]] = {}
    speed: dict[str, list[float]] = {}
    for mode, vocabulary in MODES.items():
        for name, audio in clips.items():
            times, text, language = [], "", ""
            for _ in range(args.runs):
                transcript = await engine.transcribe(audio, SttOptions(vocabulary=vocabulary))
                times.append(transcript.timings.compute_s)
                text, language = transcript.text, transcript.language
            errors, length = error_rate(name, text, CLIPS[name])
            kind = "en" if name.startswith("en_") else "zh"
            total = totals.setdefault((mode, kind), [0, 0])
            total[0] += errors
            total[1] += length
            median = statistics.median(times)
            speed.setdefault(mode, []).append(median / audio.duration_s)
            print(
                f"{mode:<10} {name[:32]:<32} {language:<4} {errors / length:>6.1%} "
                f"{median:>6.2f} {median / audio.duration_s:>5.2f}  {text}"
            )
    print()
    for (mode, kind), (errors, length) in totals.items():
        metric = "WER" if kind == "en" else "CER"
        print(
            f"{mode:<10} {kind} {metric} {errors / length:.1%} ({errors}/{length})  "
            f"median RTF {statistics.median(speed[mode]):.3f}"
        )
    if args.stream:
        print("\nstreamed at real-time pace, finish() latency after end of speech:")
        latencies = []
        for name, audio in clips.items():
            latency, text = await stream_latency(engine, audio)
            latencies.append(latency)
            print(f"  {name[:32]:<32} {latency * 1000:7.0f} ms  {text}")
        print(f"  median {statistics.median(latencies) * 1000:.0f} ms")
    await engine.aclose()


if __name__ == "__main__":
    asyncio.run(main())
