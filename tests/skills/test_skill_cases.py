"""Every skill's tests-as-data, in both languages, through the real assistant and NLU."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from ting.assistant import Assistant
from ting.settings import load_settings
from ting.skills.loader import discover_skill_classes
from ting.skills.testing import TEST_TIMEZONE, FixedClock, TurnVerdict, load_cases, run_cases

BUILTIN = Path(__file__).resolve().parents[2] / "ting" / "skills" / "builtin"
SKILLS = sorted(p.name for p in BUILTIN.iterdir() if (p / "tests").is_dir())
MIN_INTENT_ACCURACY = 0.97
MIN_CHECKS_PASSED = 0.95


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def assistant(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Assistant]:
    data_dir = tmp_path_factory.mktemp("skills")
    settings = load_settings(data_dir=data_dir, timezone=TEST_TIMEZONE, seed=7)
    opened = await Assistant.open(
        settings, skill_classes=discover_skill_classes(), clock=FixedClock()
    )
    yield opened
    await opened.close()


def _report(verdicts: list[TurnVerdict]) -> str:
    return "\n".join(
        f"  {v.case.where}: {v.check.say!r}: {'; '.join(v.problems)}"
        for v in verdicts
        if v.problems
    )


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("skill", SKILLS)
async def test_skill_cases(assistant: Assistant, skill: str, language: str) -> None:
    cases = load_cases(BUILTIN / skill / "tests" / f"{language}.yaml")
    verdicts = await run_cases(assistant, cases)
    judged = [v for v in verdicts if v.checks_intent]
    accuracy = sum(v.intent_ok for v in judged) / len(judged)
    passed = sum(not v.problems for v in verdicts) / len(verdicts)
    detail = _report(verdicts)
    assert accuracy >= MIN_INTENT_ACCURACY, f"intent accuracy {accuracy:.3f}\n{detail}"
    assert passed >= MIN_CHECKS_PASSED, f"turns fully right {passed:.3f}\n{detail}"
