"""The SNIPS 2017 vendors' few-shot slot F1, recomputed from their metric files
(``../shared/data/nlu/snips_fewshot/<Intent>/<Vendor>_metrics.json``):

    .venv/bin/python benchmarks/nlu_vendor_metrics.py

Per intent and slot type, F1 from the file's precision and recall for each of the 3 runs (0 where
precision is undefined: nothing predicted), averaged over runs, over slot types, then over
intents — the summary in ``../shared/data/README.md`` (Snips 0.768 at 70 per intent).
``nlu_bench.py`` reports Ting's few-shot rows the same way (``vendor_slot_f1``).
"""

from __future__ import annotations

import json
import math
import statistics

from nlu_data import DATA, FEWSHOT_INTENTS

VENDORS = {
    "Snips": "Snips",
    "Dialogflow": "api.ai",
    "LUIS": "Luis",
    "Wit": "Wit",
    "Alexa": "Alexa",
}
SIZES = ("10", "20", "50", "70")


def _f1(precision: float | None, recall: float | None) -> float:
    if precision is None or recall is None or math.isnan(precision) or math.isnan(recall):
        return 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def vendor_slot_f1(vendor_file: str, size: str) -> float | None:
    by_intent = []
    for intent in FEWSHOT_INTENTS:
        path = DATA / "snips_fewshot" / intent / f"{vendor_file}_metrics.json"
        slots = json.loads(path.read_text("utf-8"))["intents"][intent]["slots"]
        per_slot = []
        for metrics in slots.values():
            if size not in metrics["recall"]:
                return None  # Alexa was only run at 70 per intent
            runs = zip(metrics["precision"][size], metrics["recall"][size], strict=True)
            per_slot.append(statistics.mean(_f1(p, r) for p, r in runs))
        by_intent.append(statistics.mean(per_slot))
    return statistics.mean(by_intent)


def main() -> None:
    print("vendor      " + "  ".join(f"{size:>5}" for size in SIZES))
    for name, file in VENDORS.items():
        values = [vendor_slot_f1(file, size) for size in SIZES]
        cells = "  ".join("    —" if v is None else f"{v:5.3f}" for v in values)
        print(f"{name:<10}  {cells}")


if __name__ == "__main__":
    main()
