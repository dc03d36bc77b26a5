"""Voice latency and accuracy end to end, Ting's pipeline against a naive baseline, one command.

    .venv/bin/python benchmarks/voice_latency.py [--snr clean,20,10,5] [--limit N] [--json OUT]

Corpora: English and Mandarin commands across the skills, synthesized with Ting's own voices
(Piper joe, Kokoro zf_xiaoxiao), clean and with pink noise at each SNR; and the real clips in
``../shared/data/audio`` (clean; they are not commands, so no intent accuracy for them).

Ting: each utterance (0.3 s lead-in, the speech, 1.5 s of tail, all noisy when noisy) is fed
through the full pipeline *in real time* (32 ms chunks), so the streaming recognizer and the
endpointer work as they would live. Latency = wall time of the first reply sample − wall time at
which the true end of speech (from the clean signal) was fed in. Stages: endpoint (end of speech
→ segmenter decision), stt (decision → final transcript), nlu+skill, tts (reply text → first
audio), lead (silence at the start of the reply audio, heard on top of the latency).

Baseline (today's open stacks): the same VAD with a fixed 0.7 s silence, then whisper *base*
transcribing the whole utterance, then the whole reply synthesized before playback. It does
nothing while the user speaks, so its latency is measured offline: endpoint wait + each stage's
compute time.

Accuracy: WER (English, words) and CER (Mandarin, characters) after normalization (case,
punctuation, digits → words); intent accuracy against the intent the NLU gives the reference
text. Each utterance runs on its own device scope, so no conversation carries over.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ting.assistant import Assistant  # noqa: E402
from ting.audio import SPEECH_FORMAT, read_audio, resample  # noqa: E402
from ting.models import ModelResolver, ModelSettings  # noqa: E402
from ting.pipeline import (  # noqa: E402
    AudioInput,
    CollectingSink,
    VoiceSettings,
    VoiceStack,
    array_source,
)
from ting.settings import load_settings  # noqa: E402
from ting.stt import FasterWhisperEngine, WhisperSettings  # noqa: E402
from ting.vad import Segmenter, frames  # noqa: E402
from ting.vad.segmenter import SpeechEnded  # noqa: E402

RATE = SPEECH_FORMAT.sample_rate
SHARED = HERE.parent.parent / "shared" / "data"
LEAD_S, TAIL_S = 0.3, 1.5

EN = [
    "What time is it?",
    "Set a timer for five minutes.",
    "Set a timer for twenty minutes called pasta.",
    "How much time is left on my timer?",
    "Cancel the timer.",
    "Wake me up at seven tomorrow morning.",
    "Remind me to call mom at six pm.",
    "Add milk to my shopping list.",
    "What is twelve times seven?",
    "Turn on the kitchen light.",
    "Set the volume to fifty percent.",
    "What's the date today?",
]
ZH = [
    "现在几点了？",
    "设一个五分钟的计时器。",
    "计时器还剩多少时间？",
    "取消计时器。",
    "明天早上七点叫醒我。",
    "提醒我下午三点开会。",
    "把牛奶加到购物清单里。",
    "十二乘以七等于多少？",
    "打开客厅的灯。",
    "今天几号？",
]
REAL = [
    (
        "en",
        "en_jfk.flac",
        "And so my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country.",
    ),
    (
        "en",
        "en_libri_1995-1837-0001.wav",
        "IT WAS THE FIRST GREAT SORROW OF HIS LIFE IT WAS NOT SO MUCH THE LOSS OF THE COTTON "
        "ITSELF BUT THE FANTASY THE HOPES THE DREAMS BUILT AROUND IT",
    ),
    ("zh", "zh_aishell_BAC009S0724W0121.wav", "广州市房地产中介协会分析"),
    ("zh", "zh_funasr_asr_example.wav", "欢迎大家来体验达摩院推出的语音识别模型"),
    ("zh", "funasr_sample.wav", "我想问我在滨海新区有房"),
]

# -- text normalization -------------------------------------------------------------------

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ZH_DIGITS = "零一二三四五六七八九"


def _en_number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return " ".join(_ONES[int(d)] for d in str(n))


def _zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + ("" if ones == 0 else _ZH_DIGITS[ones])
        )
    return "".join(_ZH_DIGITS[int(d)] for d in str(n))


def words_en(text: str) -> list[str]:
    text = text.lower().replace("%", " percent").replace("what's", "what is")
    text = re.sub(r"(\d+):00", r"\1", text)
    text = re.sub(r"\d+", lambda m: " " + _en_number(int(m.group())) + " ", text)
    return re.findall(r"[a-z']+", text.replace("o'clock", ""))


def chars_zh(text: str) -> list[str]:
    text = re.sub(r"\d+", lambda m: _zh_number(int(m.group())), text).replace("两", "二")
    return [c for c in text if "\u4e00" <= c <= "\u9fff"]


def distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def tokens(text: str, language: str) -> list[str]:
    return words_en(text) if language == "en" else chars_zh(text)


# -- audio ---------------------------------------------------------------------------------


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    scale = 1 / np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    noise = np.fft.irfft(spectrum * scale, n)
    return (noise / (np.std(noise) + 1e-12)).astype(np.float32)


def speech_bounds(samples: np.ndarray) -> tuple[int, int]:
    """First and last sample of the 10 ms windows above -45 dBFS (the clean signal)."""
    win = RATE // 100
    usable = samples[: samples.size // win * win].reshape(-1, win)
    level = 10 * np.log10(np.mean(usable.astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(level > -45)[0]
    if loud.size == 0:
        return 0, samples.size
    return int(loud[0] * win), int((loud[-1] + 1) * win)


@dataclasses.dataclass
class Utterance:
    corpus: str
    language: str
    reference: str
    snr: str
    audio: np.ndarray
    end_s: float
    """True end of speech in ``audio`` (seconds)."""
    gold_intent: str | None


def build_utterance(
    clean: np.ndarray, snr: str, rng: np.random.Generator
) -> tuple[np.ndarray, float]:
    first, last = speech_bounds(clean)
    speech = clean[first:last]
    peak = float(np.max(np.abs(speech))) or 1.0
    speech = speech * (0.5 / peak)
    audio = np.concatenate(
        [np.zeros(int(LEAD_S * RATE), np.float32), speech, np.zeros(int(TAIL_S * RATE), np.float32)]
    )
    if snr != "clean":
        power = float(np.mean(speech.astype(np.float64) ** 2))
        noise = pink_noise(audio.size, rng) * np.sqrt(power / 10 ** (float(snr) / 10))
        audio = audio + noise
    return np.clip(audio, -1, 1).astype(np.float32), LEAD_S + speech.size / RATE


# -- runs ----------------------------------------------------------------------------------


async def run_ting(stack: VoiceStack, utt: Utterance, index: int) -> dict[str, Any]:
    settings = dataclasses.replace(stack.settings.pipeline, device_id=f"bench-{index}")
    pipeline = stack.pipeline(settings=settings)
    sink = CollectingSink()
    started: list[float] = []
    source = AudioInput(array_source(utt.audio, block_s=0.032, pace=1.0, started=started))
    try:
        turns = await pipeline.converse(
            source, sink, first="optional", until_done=True, barge_in=False
        )
    finally:
        await source.aclose()
        await pipeline.aclose()
    turn = turns[0] if turns else None
    end_at = started[0] + utt.end_s
    row: dict[str, Any] = {
        "text": turn.text if turn else "",
        "outcome": turn.outcome if turn else "none",
        "intent": turn.result.intent if turn and turn.result else None,
        "endpoint": turn.endpoint if turn else "",
    }
    t = turn.timings if turn else None
    if t and t.first_audio_at and t.decided_at and t.stt_end_at and t.intent_end_at:
        row.update(
            latency=t.first_audio_at - end_at,
            endpoint_s=t.decided_at - end_at,
            stt_s=t.stt_end_at - t.decided_at,
            nlu_s=t.intent_end_at - t.stt_end_at,
            tts_s=t.first_audio_at - t.intent_end_at,
        )
        reply = sink.samples() if sink.chunks else np.zeros(0, np.float32)
        voiced = np.flatnonzero(np.abs(reply) > 0.01)
        if voiced.size and sink.format is not None:
            row["lead_s"] = float(voiced[0]) / sink.format.sample_rate
    return row


async def run_baseline(
    stack: VoiceStack, base: FasterWhisperEngine, utt: Utterance, index: int
) -> dict[str, Any]:
    from ting.pipeline.stack import make_vad
    from ting.skills.base import Scope

    segmenter = Segmenter(
        dataclasses.replace(stack.settings.pipeline.segmenter.fixed(0.7), no_speech_timeout_s=None)
    )
    chunk_list = [array_chunk(utt.audio)]
    ended: SpeechEnded | None = None
    for frame in frames(make_vad(stack.settings.vad), chunk_list):
        event = segmenter.process(frame.probability, frame.start_s, frame.end_s)
        if isinstance(event, SpeechEnded):
            ended = event
            break
    if ended is None:
        final = segmenter.finish(utt.audio.size / RATE)
        ended = final if isinstance(final, SpeechEnded) else None
    if ended is None:
        return {"text": "", "outcome": "no-speech", "intent": None}
    begin = max(0, int((ended.start_s - 0.3) * RATE))
    clip = array_chunk(utt.audio[begin : int(ended.at_s * RATE)])
    t0 = time.perf_counter()
    transcript = await base.transcribe(clip)
    t1 = time.perf_counter()
    result = await stack.assistant.handle_text(
        transcript.text, scope=Scope(device_id=f"base-{index}")
    )
    t2 = time.perf_counter()
    if result.reply.strip():
        await stack.speaker.synthesize(result.reply, result.language)
    t3 = time.perf_counter()
    endpoint = ended.at_s - utt.end_s
    return {
        "text": transcript.text,
        "outcome": "replied",
        "intent": result.intent,
        "latency": endpoint + (t3 - t0),
        "endpoint_s": endpoint,
        "stt_s": t1 - t0,
        "nlu_s": t2 - t1,
        "tts_s": t3 - t2,
    }


def array_chunk(samples: np.ndarray):  # type: ignore[no-untyped-def]
    from ting.audio import AudioChunk

    return AudioChunk(np.ascontiguousarray(samples, np.float32), SPEECH_FORMAT)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarize(rows: list[dict[str, Any]], utts: list[Utterance], system: str) -> dict[str, Any]:
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, u in enumerate(utts):
        groups.setdefault((u.language, u.corpus, u.snr), []).append(i)
    out = {}
    for (language, corpus, snr), idx in sorted(groups.items()):
        errors = sum(
            distance(tokens(rows[i]["text"], language), tokens(utts[i].reference, language))
            for i in idx
        )
        total = sum(len(tokens(utts[i].reference, language)) for i in idx)
        judged = [i for i in idx if utts[i].gold_intent is not None]
        lat = [rows[i]["latency"] for i in idx if "latency" in rows[i]]
        stages = {
            s: statistics.median([rows[i][s] for i in idx if s in rows[i]] or [float("nan")])
            for s in ("endpoint_s", "stt_s", "nlu_s", "tts_s", "lead_s")
        }
        out[f"{system}/{language}/{corpus}/{snr}"] = {
            "n": len(idx),
            "error_rate": errors / max(1, total),
            "intent_accuracy": (
                sum(rows[i]["intent"] == utts[i].gold_intent for i in judged) / len(judged)
            )
            if judged
            else None,
            "p50": pct(lat, 0.5),
            "p95": pct(lat, 0.95),
            **{k: round(v, 3) for k, v in stages.items()},
        }
    return out


def print_table(report: dict[str, Any], args: argparse.Namespace) -> None:
    """The Markdown table for docs/benchmarks.md: per corpus, Ting against the baseline."""
    groups = report["groups"]
    print(
        f"\n{report['date']}, load average {report['load_average_start']} -> "
        f"{report['load_average_end']}, peak RSS {report['peak_rss_mb']} MB, judge {args.judge}, "
        f"biasing {'off' if args.no_bias else 'on'}\n"
    )
    print(
        "| corpus | Ting p50 / p95 | stages: endpoint / stt / nlu / tts / lead (median s) "
        "| baseline p50 / p95 | ratio p50 | WER/CER Ting / base | intent acc. Ting / base |"
    )
    print("|---|---|---|---|---|---|---|")

    def latency(g: dict[str, Any] | None) -> str:
        if g is None or g["p50"] != g["p50"]:
            return "—"
        return f"{g['p50']:.2f} / {g['p95']:.2f} s"

    snr_order = {"clean": 0, "20": 1, "10": 2, "5": 3}
    keys = sorted(
        (k for k in groups if k.startswith("ting/")),
        key=lambda k: (
            k.split("/")[1],
            k.split("/")[2] != "synth",
            snr_order.get(k.split("/")[3], 9),
        ),
    )
    for key in keys:
        ting = groups[key]
        _, language, corpus, snr = key.split("/")
        base = groups.get(f"baseline/{language}/{corpus}/{snr}")
        real_en = corpus == "real" and language == "en"  # the endpointer ends at a pause
        stages = " / ".join(
            f"{ting[s]:.2f}" for s in ("endpoint_s", "stt_s", "nlu_s", "tts_s", "lead_s")
        )
        ratio = "—"
        if base is not None and not real_en and ting["p50"] > 0:
            ratio = f"{base['p50'] / ting['p50']:.1f}×"
        error = f"{ting['error_rate']:.1%}" + (f" / {base['error_rate']:.1%}" if base else "")
        intent = "—"
        if ting["intent_accuracy"] is not None:
            intent = f"{ting['intent_accuracy']:.2f}"
            if base is not None and base["intent_accuracy"] is not None:
                intent += f" / {base['intent_accuracy']:.2f}"
        print(
            f"| {language} {corpus} {snr} ({ting['n']}) | {'—' if real_en else latency(ting)} "
            f"| {'—' if real_en else stages} | {'—' if real_en else latency(base)} | {ratio} "
            f"| {error} | {intent} |"
        )
    for language in ("en", "zh"):
        ting, base = report.get(f"ting/{language}/all"), report.get(f"baseline/{language}/all")
        if ting:
            ratio = f"{base['p50'] / ting['p50']:.1f}×" if base and ting["p50"] > 0 else "—"
            print(
                f"| **{language} synthesized, all SNRs** ({ting['n']}) | {latency(ting)} | "
                f"| {latency(base)} | {ratio} | | |"
            )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--snr", default="clean,20,10,5")
    parser.add_argument("--limit", type=int, default=0, help="commands per language (0: all)")
    parser.add_argument("--no-real", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--judge", default="nlu", help="endpointing judge: nlu, heuristic, none")
    parser.add_argument(
        "--no-bias", action="store_true", help="no skill vocabulary in the recognizer's prompt"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--footprint",
        action="store_true",
        help="only load the English + Mandarin stack (NLU from its cache), speak and hear one "
        "command per language, print the load time and the peak RSS",
    )
    args = parser.parse_args()
    loadavg = os.getloadavg()[0]

    data = Path(os.environ.get("TING_BENCH_DIR", "/tmp/ting-voice-bench"))
    settings = load_settings(data_dir=data / "data", timezone="UTC", seed=1)
    settings = dataclasses.replace(
        settings, models_dir=Path(os.environ.get("TING_MODELS_DIR", data / "nlu"))
    )
    resolver = ModelResolver(ModelSettings.from_env(data))
    if resolver.settings.voices_dir is None and (SHARED / "voices" / "kokoro-zh").is_dir():
        resolver = ModelResolver(
            dataclasses.replace(resolver.settings, voices_dir=SHARED / "voices" / "kokoro-zh")
        )
    started = time.perf_counter()
    assistant = await Assistant.open(settings)
    nlu_s = time.perf_counter() - started
    stack = await VoiceStack.open(
        assistant, resolver, VoiceSettings(judge=args.judge, stt_biasing=not args.no_bias)
    )
    print(
        f"loaded: assistant {nlu_s:.1f} s, voice stack {stack.load_s:.1f} s, "
        f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        flush=True,
    )

    if args.footprint:
        for text, language in (("What time is it?", "en"), ("现在几点了？", "zh")):
            spoken = await stack.speaker.synthesize(text, language)
            clean = resample(spoken.samples, spoken.format.sample_rate, RATE)
            audio, end = build_utterance(clean, "clean", np.random.default_rng(0))
            row = await run_ting(
                stack, Utterance("synth", language, text, "clean", audio, end, None), 0
            )
            print(language, row)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            json.dumps(
                {
                    "date": time.strftime("%Y-%m-%d %H:%M"),
                    "assistant_load_s": round(nlu_s, 1),
                    "stack_load_s": round(stack.load_s, 1),
                    "peak_rss_mb": round(rss),
                    "load_average": round(os.getloadavg()[0], 1),
                }
            )
        )
        await stack.aclose()
        await assistant.close()
        return

    rng = np.random.default_rng(0)
    snrs = args.snr.split(",")
    utts: list[Utterance] = []
    ctx = assistant.parse_context()
    for language, texts in (("en", EN), ("zh", ZH)):
        for text in texts[: args.limit or None]:
            spoken = await stack.speaker.synthesize(text, language)
            clean = resample(spoken.samples, spoken.format.sample_rate, RATE)
            gold = assistant.engine.parse(text, ctx).intent
            for snr in snrs:
                audio, end = build_utterance(clean, snr, rng)
                utts.append(Utterance("synth", language, text, snr, audio, end, gold))
    if not args.no_real:
        for language, name, reference in REAL:
            path = SHARED / "audio" / name
            if path.is_file():
                audio, end = build_utterance(read_audio(path).samples, "clean", rng)
                utts.append(Utterance("real", language, reference, "clean", audio, end, None))
    print(f"{len(utts)} utterances; load average {loadavg:.1f}", flush=True)

    ting_rows = []
    for i, utt in enumerate(utts):
        row = await run_ting(stack, utt, i)
        ting_rows.append(row)
        print(
            f"ting {i:3d} {utt.language} {utt.snr:>5} {row.get('latency', float('nan')):6.3f} "
            f"{row['endpoint']:<12} {row['text'][:50]!r}",
            flush=True,
        )
    base_rows = []
    if not args.no_baseline:
        base = FasterWhisperEngine(resolver, WhisperSettings(english_model=None))
        await base.load()
        for i, utt in enumerate(utts):
            row = await run_baseline(stack, base, utt, i)
            base_rows.append(row)
            print(
                f"base {i:3d} {utt.language} {utt.snr:>5} {row.get('latency', float('nan')):6.3f} "
                f"{row['text'][:50]!r}",
                flush=True,
            )
        await base.aclose()

    summary = summarize(ting_rows, utts, "ting")
    if base_rows:
        summary.update(summarize(base_rows, utts, "baseline"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_start": round(loadavg, 1),
        "load_average_end": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(rss),
        "stack_load_s": round(stack.load_s, 1),
        "groups": summary,
    }
    for language in ("en", "zh"):
        for system, rows in (("ting", ting_rows), ("baseline", base_rows)):
            lat = [
                r["latency"]
                for r, u in zip(rows, utts, strict=False)
                if u.language == language and u.corpus == "synth" and "latency" in r
            ]
            if lat:
                report[f"{system}/{language}/all"] = {
                    "n": len(lat),
                    "p50": pct(lat, 0.5),
                    "p95": pct(lat, 0.95),
                }
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print_table(report, args)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"report": report, "ting": ting_rows, "baseline": base_rows},
                ensure_ascii=False,
                default=str,
                indent=1,
            )
        )
    await stack.aclose()
    await assistant.close()


if __name__ == "__main__":
    asyncio.run(main())
