"""How long the first start of the assistant trains the NLU for the built-in skills.

    .venv/bin/python benchmarks/nlu_training.py [--runs 3]

Builds ``NluEngine`` for every built-in skill in both languages, with no cache, and prints the
median wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ting.nlu.engine import NluEngine
from ting.skills.loader import build_domain, discover_skill_classes, load_skill_packages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    domain = build_domain(load_skill_packages(discover_skill_classes()))
    intents = {language: len(domain.intents(language)) for language in ("en", "zh")}
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        NluEngine.build(domain)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"intents per language: {intents}")
    print(
        f"NLU training, median of {args.runs}: {statistics.median(walls):.1f} s wall, "
        f"{statistics.median(cpus):.1f} s CPU"
    )


if __name__ == "__main__":
    main()
