"""Shared fixtures: a fixed clock and the small realistic test domain (timers, weather, lights)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ting.nlu import NluDomain, NluEngine, load_domain
from ting.nlu.types import ParseContext

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def ctx() -> ParseContext:
    return ParseContext(datetime(2025, 3, 14, 9, 30, tzinfo=UTC), ZoneInfo("Asia/Shanghai"))


def load_test_domain() -> NluDomain:
    files = [(path.stem.split("_")[0], path) for path in sorted(DATA.glob("*.yaml"))]
    return load_domain(files)


@pytest.fixture(scope="session")
def domain() -> NluDomain:
    return load_test_domain()


@pytest.fixture(scope="session")
def engine(domain: NluDomain) -> NluEngine:
    return NluEngine.build(domain, seed=0)
