"""A blind held-out set: phrasings written without seeing the skills' templates or exam.

It measures generalization, so its bar is lower than the exam's; the numbers are reported by
``benchmarks/skill_accuracy.py`` and in docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from ting.assistant import Assistant
from ting.settings import load_settings
from ting.skills.testing import TEST_TIMEZONE, FixedClock, load_cases, run_cases

HELDOUT = Path(__file__).resolve().parent / "heldout"
MIN_INTENT_ACCURACY = 0.85

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def assistant(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Assistant]:
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("heldout"), timezone=TEST_TIMEZONE, seed=7
    )
    opened = await Assistant.open(settings, clock=FixedClock())
    yield opened
    await opened.close()


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_heldout_intent_accuracy(assistant: Assistant, language: str) -> None:
    verdicts = await run_cases(assistant, load_cases(HELDOUT / f"{language}.yaml"))
    accuracy = sum(v.intent_ok for v in verdicts) / len(verdicts)
    misses = "\n".join(
        f"  {v.check.say!r}: {v.result.intent} (expected {v.check.intent})"
        for v in verdicts if not v.intent_ok
    )
    assert accuracy >= MIN_INTENT_ACCURACY, f"held-out accuracy {accuracy:.3f}\n{misses}"
