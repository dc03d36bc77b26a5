"""Intent accuracy of the built-in skills, on their exam and on a blind held-out set.

    .venv/bin/python benchmarks/skill_accuracy.py

The exam (``ting/skills/builtin/*/tests``) guided the writing of the skills' templates; the
held-out set (``tests/skills/heldout``) was written without seeing them, so it measures how well
Ting understands phrasings nobody tuned for. Prints accuracy per language and the misses.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ting.assistant import Assistant  # noqa: E402
from ting.settings import load_settings  # noqa: E402
from ting.skills.testing import (  # noqa: E402
    TEST_TIMEZONE,
    FixedClock,
    TurnVerdict,
    load_cases,
    run_cases,
)

EXAM = sorted((ROOT / "ting" / "skills" / "builtin").glob("*/tests/*.yaml"))
HELDOUT = sorted((ROOT / "tests" / "skills" / "heldout").glob("*.yaml"))


def summary(name: str, verdicts: list[TurnVerdict], show_misses: bool) -> None:
    judged = [v for v in verdicts if v.checks_intent]
    right = sum(v.intent_ok for v in judged)
    whole = sum(not v.problems for v in verdicts)
    print(
        f"{name}: intent {right}/{len(judged)} = {right / len(judged):.1%}; "
        f"turns fully right {whole}/{len(verdicts)} = {whole / len(verdicts):.1%}"
    )
    if show_misses:
        for v in verdicts:
            if not v.intent_ok:
                print(f"    {v.check.say!r}: got {v.result.intent}, expected {v.check.intent}")


async def main() -> None:
    show = "--misses" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=tmp, timezone=TEST_TIMEZONE, seed=7)
        assistant = await Assistant.open(settings, clock=FixedClock())
        try:
            for language in ("en", "zh"):
                exam = [c for p in EXAM if p.stem == language for c in load_cases(p)]
                summary(f"exam {language}", await run_cases(assistant, exam), False)
            for path in HELDOUT:
                verdicts = await run_cases(assistant, load_cases(path))
                summary(f"held-out {path.stem}", verdicts, show)
        finally:
            await assistant.close()


if __name__ == "__main__":
    asyncio.run(main())
