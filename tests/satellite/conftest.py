"""Fixtures of the satellite's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from satellite_hub import FakeHub


@pytest.fixture
async def hub() -> AsyncIterator[FakeHub]:
    server = FakeHub()
    await server.start()
    yield server
    await server.stop()
