"""The browser console in headless Chromium against a real hub with speech: sign up, pair a
speaker by its code, type a command, see the timer and the history, delete the history, and
hold-to-talk with a fake microphone that plays a spoken command (synthesized with Piper).

Saves a screenshot: to docs/console.png when TING_UPDATE_SCREENSHOT=1 (for the README), else to
the test's temporary folder, so a test run never changes the tree. Skips when /usr/bin/chromium
or Playwright is absent.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from hubproc import ROOT, HubProcess

CHROMIUM = Path("/usr/bin/chromium")
GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SCREENSHOT = ROOT / "docs" / "console.png"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt install chromium)"
    ),
]
playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def spoken_command(path: Path, text: str) -> Path:
    """``text`` spoken by Piper as a 16 kHz mono WAV, with silence around it (Chromium loops
    the file as its fake microphone)."""
    from ting.audio import resample
    from ting.errors import EngineError
    from ting.models import ModelResolver, ModelSettings
    from ting.models.resolver import BUNDLED_VOICES
    from ting.pipeline import write_wav
    from ting.tts import PiperEngine

    async def speak() -> tuple[np.ndarray, int]:
        settings = ModelSettings(
            cache_dir=path.parent / "models", voices_dir=BUNDLED_VOICES, download=False
        )
        engine = PiperEngine(ModelResolver(settings))
        await engine.load()
        chunks = [chunk async for chunk in engine.synthesize(text, "en")]
        return np.concatenate([c.samples for c in chunks]), chunks[0].format.sample_rate

    try:
        samples, rate = asyncio.run(speak())
    except (EngineError, ImportError) as error:
        pytest.skip(f"Piper cannot speak the test command: {error}")
    speech = resample(samples, rate, 16_000)
    lead, tail = np.zeros(6_400, np.float32), np.zeros(25_600, np.float32)
    write_wav(path, np.concatenate([lead, speech, tail]).astype(np.float32), 16_000)
    return path


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path_factory.mktemp("voice-hub"), voice=True).start(timeout_s=420)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("browser")
    microphone = spoken_command(work / "what-time.wav", "What time is it?")
    with playwright_sync.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(work / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": 1280, "height": 900},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={microphone}",
            ],
        )
        context.set_default_timeout(30_000)
        try:
            yield context.new_page()
        finally:
            context.close()


def test_the_console_end_to_end(hub: HubProcess, page: Any) -> None:
    from playwright.sync_api import expect
    from websockets.sync.client import connect

    expect.set_options(timeout=30_000)  # a reply waits for its speech on a small machine
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside: list[str] = []

    def fetched(request: Any) -> None:  # blob: URLs are the reply audio, made in the page
        if not request.url.startswith((hub.url, "blob:", "data:")):
            outside.append(request.url)

    page.on("request", fetched)

    # Sign up in the UI.
    page.goto(hub.url)
    expect(page.locator("#view-auth")).to_be_visible()
    page.click("#tab-signup")
    form = page.locator("#signup-form")
    form.locator("[name=household]").fill("The Lins' home")
    form.locator("[name=name]").fill("Mei")
    form.locator("[name=email]").fill(f"mei-{uuid.uuid4().hex[:6]}@example.com")
    form.locator("[name=password]").fill("correct horse 1")
    form.locator("button[type=submit]").click()
    expect(page.locator("#view-home")).to_be_visible()
    expect(page.locator("#household-name")).to_have_text("The Lins' home")
    expect(page.locator("#devices-empty")).to_be_visible()

    # A speaker starts pairing, as a device would; its code goes in on the #pair page.
    with httpx.Client(base_url=hub.url, timeout=30.0) as speaker:
        grant = speaker.post("/api/devices/pair", json={"name": "ting-3f2a"}).json()
        page.goto(f"{hub.url}/#pair")
        page.fill("#pair-code", "BCDF-GHJK")  # a wrong code first: a clear message
        page.locator("#pair-form button[type=submit]").click()
        expect(page.locator("#notice")).to_contain_text("code is not right")
        page.goto(grant["verification_uri_complete"])
        expect(page.locator("#view-pair")).to_be_visible()
        expect(page.locator("#pair-code")).to_have_value(grant["user_code"])
        page.fill("#pair-form [name=name]", "Kitchen speaker")
        page.fill("#pair-form [name=room]", "kitchen")
        page.locator("#pair-form button[type=submit]").click()
        expect(page.locator("#view-home")).to_be_visible()
        expect(page.locator("#devices")).to_contain_text("Kitchen speaker")
        token = speaker.post(
            "/api/devices/token", json={"grant_type": GRANT, "device_code": grant["device_code"]}
        ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    with connect(hub.ws_url, additional_headers=headers) as satellite:
        from ting.protocol import encode_event
        from ting.protocol import events as wire

        satellite.send(encode_event(wire.Describe()))
        expect(page.locator("#devices .state")).to_have_text("idle", timeout=10_000)

        # Type a command: the reply, the timer, the history.
        page.fill("#ask-text", "set a timer for 10 minutes")
        page.press("#ask-text", "Enter")
        expect(page.locator("#talk-log .bubble.ting").last).to_contain_text("TimerStart")
        expect(page.locator("#schedule li")).to_have_count(1)
        expect(page.locator("#schedule")).to_contain_text("Timer")
        expect(page.locator("#history")).to_contain_text("set a timer for 10 minutes")

        # Delete the history (the button asks twice).
        page.click("#clear-history")
        page.click("#clear-history")
        expect(page.locator("#history li")).to_have_count(0)
        expect(page.locator("#history-empty")).to_be_visible()

        # Hold to talk: the fake microphone says "What time is it?".
        button = page.locator("#talk-button")
        button.hover()
        page.mouse.down()
        page.wait_for_timeout(3_500)
        page.mouse.up()
        spoken = page.locator("#talk-log .bubble.you").last
        expect(spoken).to_contain_text(re.compile(r"time", re.I), timeout=60_000)
        expect(spoken).to_contain_text("spoken")
        expect(page.locator("#talk-log .bubble.ting").last).to_contain_text(
            re.compile(r"\d{1,2}:\d{2}")
        )
        expect(page.locator("#history li")).to_have_count(1)
        expect(page.locator("#mic-status")).to_contain_text("Hold the button")

        # Chinese in, Chinese out.
        page.fill("#ask-text", "现在几点")
        page.press("#ask-text", "Enter")
        expect(page.locator("#talk-log .bubble.ting").last).to_contain_text(
            re.compile(r"[\u4e00-\u9fff]")
        )
        expect(page.locator("#history li")).to_have_count(2)

        page.mouse.move(0, 0)
        target = (
            SCREENSHOT
            if os.environ.get("TING_UPDATE_SCREENSHOT") == "1"
            else hub.log.parent / "console.png"
        )
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000

    # Signing out shows the sign-in form again; the session is gone.
    page.click("#sign-out")
    expect(page.locator("#view-auth")).to_be_visible()
    assert not errors, errors
    assert not outside, f"the console fetched from elsewhere: {outside}"
