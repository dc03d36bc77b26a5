"""Ting's Wyoming services, checked with the Wyoming project's own Python client (the library
Home Assistant uses) against a real hub: ``describe`` → ``info``, and ``handle`` (a transcript in,
Ting's answer out). Speech to text and text to speech over Wyoming are checked with the voice hub
in ``test_hub_satellites``."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hubproc import HubProcess
from wyoming.asr import Transcript
from wyoming.client import AsyncTcpClient
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    started = HubProcess(tmp_path_factory.mktemp("hub"), wyoming=True).start()
    assert started.wyoming_port
    yield started
    started.stop()


async def ask(hub: HubProcess, event: Event) -> Event:
    async with AsyncTcpClient("127.0.0.1", hub.wyoming_port) as client:
        await client.write_event(event)
        answer = await asyncio.wait_for(client.read_event(), 30)
    assert answer is not None
    return answer


async def test_describe_lists_the_handle_service(hub: HubProcess) -> None:
    info = Info.from_event(await ask(hub, Describe().event()))
    assert [p.name for p in info.handle] == ["ting"]
    assert set(info.handle[0].models[0].languages) == {"en", "zh"}
    assert info.asr == [] and info.tts == []  # a text-only hub offers no speech


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what's 6 times 7", "42"),
        ("十二加三十等于多少", "42"),
        ("set a timer for 10 minutes", "10"),
    ],
)
async def test_handle_answers_a_transcript(hub: HubProcess, text: str, expected: str) -> None:
    answer = await ask(hub, Transcript(text=text).event())
    assert Handled.is_type(answer.type), answer
    assert expected in Handled.from_event(answer).text


async def test_gibberish_is_not_handled(hub: HubProcess) -> None:
    answer = await ask(hub, Transcript(text="blorp fnord quux").event())
    assert NotHandled.is_type(answer.type), answer


async def test_a_broken_frame_gets_an_error_and_the_service_keeps_serving(
    hub: HubProcess,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", hub.wyoming_port)
    writer.write(b'{"type": "transcript", "data_length": 999999999}\n')
    await writer.drain()
    line = await asyncio.wait_for(reader.readline(), 10)
    assert b'"error"' in line and b"too-large" in line
    writer.close()
    answer = await ask(hub, Transcript(text="what's 1 plus 1").event())
    assert "2" in Handled.from_event(answer).text
