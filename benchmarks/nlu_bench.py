"""Ting's NLU engine on public intent/slot benchmarks, with open peers, one scorer.

    .venv/bin/python benchmarks/nlu_bench.py snips|cais|fewshot|all [--peers] [--split dev]
        [--systems ting,tfidf,snips-nlu,rasa-diet] [--limit N] [--json OUT] [--encoder-weight W]
        [--context-dims K] [--tuning-epochs E]

Each system trains and answers in its own process (one thread, after 20 warm-up parses) and is
scored here by ``ting.nlu.scoring`` (conlleval-style span F1 on the dataset's own tokens). Test
splits are only ever predicted; ``--split dev`` scores on SNIPS dev / CAIS valid for selection.
Peers (``--peers``) install into ``.bench/`` on first use (see ``nlu_peers.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from nlu_data import Sample, available, load_cais, load_fewshot, load_snips  # noqa: E402

from ting.nlu.scoring import Scores, Span, score  # noqa: E402

SYSTEMS = ("ting",)
PEERS = ("tfidf", "snips-nlu", "rasa-diet")
FEWSHOT_SIZES = (10, 20, 50, 70)
FEWSHOT_SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class TingOptions:
    """How Ting's engine is set up for a benchmark (``NluSettings``, set through the
    environment of its process; docs/benchmarks.md tells how each was chosen)."""

    encoder_weight: float = 0.0
    """The sentence encoder's share of intent probability (English only; CAIS is Chinese):
    chosen on the few-shot stand-in (+1 to +3 points), checked by 5-fold cross-validation on
    SNIPS train and on SNIPS dev."""
    context_dimensions: int = 0
    """Dimensions of the contextual word vectors the slot tagger reads from the same encoder
    (0 = none), chosen on the few-shot stand-in and SNIPS dev."""
    tuning_epochs: int = 0
    """Epochs of fine-tuning the encoder's top layer for the intents (0 = the frozen
    encoder's logistic regression), chosen by 5-fold cross-validation on SNIPS train."""

    def environment(self) -> dict[str, str]:
        return {
            "TING_NLU_ENCODER_WEIGHT": str(self.encoder_weight),
            "TING_NLU_CONTEXT_DIMS": str(self.context_dimensions),
            "TING_NLU_TUNING_EPOCHS": str(self.tuning_epochs),
        }


OPTIONS = {
    "snips": TingOptions(encoder_weight=0.5, context_dimensions=32, tuning_epochs=3),
    "cais": TingOptions(),
    "fewshot": TingOptions(encoder_weight=0.5, context_dimensions=32),
}
"""Per benchmark; ``--encoder-weight``, ``--context-dims`` and ``--tuning-epochs`` override."""
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


def to_token_spans(sample: Sample, char_spans: list[list[object]]) -> list[Span]:
    """Predicted character spans as spans of the sample's gold tokens (the tokens they touch)."""
    spans: list[Span] = []
    for slot, a, b in char_spans:
        assert isinstance(a, int) and isinstance(b, int)
        touched = [i for i, (s, e) in enumerate(sample.offsets) if s < b and e > a]
        if touched:
            spans.append((str(slot), touched[0], touched[-1] + 1))
    return spans


def _job(language: str, train: list[Sample], test: list[Sample]) -> dict[str, object]:
    def item(sample: Sample) -> dict[str, object]:
        spans = [
            [slot, sample.offsets[a][0], sample.offsets[b - 1][1]] for slot, a, b in sample.spans
        ]
        return {
            "text": sample.text,
            "annotated": sample.annotated(),
            "intent": sample.intent,
            "spans": spans,
        }

    return {
        "language": language,
        "train": [item(s) for s in train],
        "test": [item(s) for s in test],
    }


def vendor_slot_f1(gold: list[Sample], predicted: list[list[Span]]) -> float:
    """Slot F1 the way the SNIPS 2017 vendors' metric files are summarized (what
    ``../shared/data/README.md`` recomputes): per intent (of the test sentences), per slot type in
    its gold, F1 of exact spans (0 where nothing was predicted), averaged over slot types, then
    over intents. Macro, so rare slot types weigh as much as frequent ones."""
    counts: dict[str, dict[str, list[int]]] = {}
    for sample, spans in zip(gold, predicted, strict=True):
        per_slot = counts.setdefault(sample.intent, {})
        for slot, _, _ in sample.spans:
            per_slot.setdefault(slot, [0, 0, 0])[1] += 1
        for span in spans:
            if span[0] in per_slot:
                per_slot[span[0]][2] += 1
                per_slot[span[0]][0] += span in sample.spans
    by_intent = []
    for per_slot in counts.values():
        f1s = [2 * tp / (g + p) if tp else 0.0 for tp, g, p in per_slot.values()]
        if f1s:
            by_intent.append(statistics.mean(f1s))
    return statistics.mean(by_intent) if by_intent else 0.0


def python_for(system: str) -> str:
    if system == "ting":
        return sys.executable
    import nlu_peers

    return nlu_peers.ensure(system)


def run_system(
    system: str,
    language: str,
    train: list[Sample],
    test: list[Sample],
    options: TingOptions | None = None,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        job, result = Path(tmp) / "job.json", Path(tmp) / "result.json"
        job.write_text(json.dumps(_job(language, train, test)), "utf-8")
        command = [python_for(system), str(HERE / "nlu_systems.py"), system, str(job), str(result)]
        env = {**os.environ, **ONE_THREAD, **(options or TingOptions()).environment()}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not result.is_file():
            tail = (done.stderr or done.stdout)[-2000:]
            return {"system": system, "error": f"exit {done.returncode}: {tail}"}
        raw = json.loads(result.read_text("utf-8"))
    gold = [(s.intent, list(s.spans)) for s in test]
    predicted = [
        (p["intent"], to_token_spans(s, p["spans"]))
        for s, p in zip(test, raw["predictions"], strict=True)
    ]
    scores = score(gold, predicted)
    latencies = sorted(raw["latencies"])
    return {
        "system": system,
        "scores": scores.__dict__,
        "vendor_slot_f1": vendor_slot_f1(test, [spans for _, spans in predicted]),
        "latency_median_ms": 1000 * statistics.median(latencies),
        "latency_p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "train_seconds": raw["train_seconds"],
        "peak_mb": raw["peak_bytes"] / 2**20,
        "model_mb": raw["model_bytes"] / 2**20,
        "encoder": raw.get("encoder"),
    }


def bench_snips(
    systems: list[str], split: str, limit: int | None, options: TingOptions
) -> list[dict[str, object]]:
    train, test = load_snips("train", limit), load_snips("dev" if split == "dev" else "test", limit)
    return [
        {"bench": f"snips-{split}", **run_system(s, "en", train, test, options)} for s in systems
    ]


def bench_cais(
    systems: list[str], split: str, limit: int | None, options: TingOptions
) -> list[dict[str, object]]:
    train, test = load_cais("train", limit), load_cais("valid" if split == "dev" else "test", limit)
    return [
        {"bench": f"cais-{split}", **run_system(s, "zh", train, test, options)} for s in systems
    ]


def bench_fewshot(
    systems: list[str],
    sizes: tuple[int, ...] = FEWSHOT_SIZES,
    seeds: tuple[int, ...] = FEWSHOT_SEEDS,
    options: TingOptions = OPTIONS["fewshot"],
    split: str = "test",
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for system in systems:
        for size in sizes:
            runs = [
                run_system(system, "en", *load_fewshot(size, seed, split), options)
                for seed in seeds
            ]
            ok = [r for r in runs if "scores" in r]
            if not ok:
                rows.append({"bench": f"fewshot-{size}", **runs[0]})
                continue
            mean = {
                key: statistics.mean(float(r[key]) for r in ok)  # type: ignore[arg-type]
                for key in (
                    "vendor_slot_f1",
                    "latency_median_ms",
                    "latency_p95_ms",
                    "train_seconds",
                    "peak_mb",
                    "model_mb",
                )
            }
            scores = {
                key: statistics.mean(r["scores"][key] for r in ok)  # type: ignore[index]
                for key in Scores.__dataclass_fields__
            }
            rows.append(
                {
                    "bench": f"fewshot-{size}" + ("-dev" if split == "dev" else ""),
                    "system": system,
                    "scores": scores,
                    "seeds": len(ok),
                    "encoder": ok[0].get("encoder"),
                    **mean,
                }
            )
    return rows


def print_row(row: dict[str, object]) -> None:
    if "error" in row:
        print(f"{row['bench']:<14} {row['system']:<10} ERROR {row['error']}", flush=True)
        return
    s = row["scores"]
    assert isinstance(s, dict)
    print(
        f"{row['bench']:<14} {row['system']:<10} intent {100 * s['intent_accuracy']:6.2f}  "
        f"slotF1 {100 * s['slot_f1']:6.2f}  exact {100 * s['exact_match']:6.2f}  "
        f"lat {row['latency_median_ms']:.2f}/{row['latency_p95_ms']:.2f} ms  "
        f"train {row['train_seconds']:.1f} s  peak {row['peak_mb']:.0f} MB  "
        f"model {row['model_mb']:.1f} MB"
        + (f"  vendor-style slotF1 {row['vendor_slot_f1']:.3f}" if "vendor_slot_f1" in row else "")
        + (f"  encoder {row['encoder']}" if row.get("encoder") else ""),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=("snips", "cais", "fewshot", "all"))
    parser.add_argument("--peers", action="store_true", help="also run " + ", ".join(PEERS))
    parser.add_argument("--systems", help="comma-separated systems (overrides --peers)")
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--limit", type=int, help="first N sentences of each split (smoke runs)")
    parser.add_argument("--json", type=Path, help="append the rows to this JSON-lines file")
    parser.add_argument(
        "--sizes", help="few-shot queries per intent, comma-separated (default 10,20,50,70)"
    )
    parser.add_argument("--seeds", help="few-shot seeds, comma-separated (default 0,1,2)")
    parser.add_argument(
        "--encoder-weight",
        type=float,
        help="Ting's sentence-encoder share of intent probability",
    )
    parser.add_argument(
        "--context-dims",
        type=int,
        help="dimensions of Ting's contextual word vectors for the slot tagger, 0 = none",
    )
    parser.add_argument(
        "--tuning-epochs",
        type=int,
        help="epochs of fine-tuning Ting's encoder layer for intents, 0 = none "
        "(defaults per benchmark: " + "; ".join(f"{k} {v}" for k, v in OPTIONS.items()) + ")",
    )
    args = parser.parse_args()
    if not available():
        sys.exit("../shared/data/nlu is missing")
    systems = (
        args.systems.split(",") if args.systems else [*SYSTEMS, *(PEERS if args.peers else ())]
    )
    benches = ("snips", "cais", "fewshot") if args.bench == "all" else (args.bench,)
    for bench in benches:
        overrides = {
            "encoder_weight": args.encoder_weight,
            "context_dimensions": args.context_dims,
            "tuning_epochs": args.tuning_epochs,
        }
        options = replace(OPTIONS[bench], **{k: v for k, v in overrides.items() if v is not None})
        if bench == "fewshot":
            sizes = tuple(int(n) for n in args.sizes.split(",")) if args.sizes else FEWSHOT_SIZES
            seeds = tuple(int(n) for n in args.seeds.split(",")) if args.seeds else FEWSHOT_SEEDS
            rows = bench_fewshot(systems, sizes, seeds, options, args.split)
        else:
            rows = {"snips": bench_snips, "cais": bench_cais}[bench](
                systems, args.split, args.limit, options
            )
        for row in rows:
            print_row(row)
            if args.json:
                with args.json.open("a") as stream:
                    stream.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
