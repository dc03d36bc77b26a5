"""The TTS policy with fake engines: streaming, spans per voice, fallback, format, bad input."""

from __future__ import annotations

import asyncio
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from ting.audio import AudioChunk, AudioFormat
from ting.errors import EngineError, InputError, LanguageError
from ting.tts import Speaker, TtsCapabilities, TtsSettings, TtsVoice, say_to_file


class FakeEngine:
    """Speaks a 440 Hz tone, 10 ms per character, at its own rate; records what it was asked."""

    def __init__(
        self,
        name: str,
        languages: tuple[str, ...],
        *,
        rate: int = 24_000,
        load_error: str | None = None,
        fail_on: str | None = None,
        embedded_latin: bool = True,
    ) -> None:
        self.name = name
        self.capabilities = TtsCapabilities(
            languages=languages,
            voices=tuple(TtsVoice(f"{name}-{lang}", lang) for lang in languages),
            sample_rate=rate,
            streaming=False,
            embedded_latin=embedded_latin,
        )
        self.calls: list[tuple[str, str, str | None]] = []
        self.loads = 0
        self.gates: dict[int, asyncio.Event] = {}
        self._load_error = load_error
        self._fail_on = fail_on

    async def load(self) -> None:
        self.loads += 1
        if self._load_error:
            raise EngineError(self._load_error)

    async def synthesize(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        self.calls.append((text, language, voice))
        gate = self.gates.get(len(self.calls) - 1)
        if gate is not None:
            await gate.wait()
        if self._fail_on and self._fail_on in text:
            raise EngineError(f"{self.name} cannot say {text!r}")
        rate = self.capabilities.sample_rate
        n = int(0.01 * len(text) * rate)
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
        yield AudioChunk(tone, AudioFormat(rate))

    async def aclose(self) -> None:
        return None


def speaker(en: list[FakeEngine], zh: list[FakeEngine], **settings: object) -> Speaker:
    return Speaker({"en": en, "zh": zh}, TtsSettings(**settings))  # type: ignore[arg-type]


REPLY = "Okay. The timer is set for ten minutes, starting now. I will tell you when it is done."


async def test_first_audio_leaves_before_the_rest_is_synthesized() -> None:
    en = FakeEngine("en", ("en",))
    en.gates[1] = asyncio.Event()  # the second clause waits until we let it go
    voice = speaker([en], [FakeEngine("zh", ("zh",))])
    stream = voice.speak(REPLY, "en")
    first = await asyncio.wait_for(anext(stream), 5)
    assert first.frames > 0
    assert [text for text, _, _ in en.calls] == ["Okay.", "The timer is set for ten minutes,"]
    en.gates[1].set()
    rest = [chunk async for chunk in stream]
    assert len(en.calls) == 4
    assert len(rest) == 3
    assert all(
        b.start_s == pytest.approx(a.end_s) for a, b in zip([first, *rest], rest, strict=False)
    )


async def test_output_is_one_format_with_pauses_between_clauses() -> None:
    voice = speaker([FakeEngine("en", ("en",), rate=16_000)], [FakeEngine("zh", ("zh",))])
    audio = await voice.synthesize("Okay. Done.", "en")
    assert audio.format == AudioFormat(22_050)
    # 5 + 5 characters at 10 ms each, resampled, plus one sentence pause of 150 ms
    assert audio.duration_s == pytest.approx(0.25, abs=0.01)


async def test_mixed_reply_gives_each_span_its_voice() -> None:
    en, zh = FakeEngine("en", ("en",)), FakeEngine("zh", ("zh",))
    voice = speaker([en], [zh], voices={"zh": "zh-zh"})
    await voice.synthesize("好的，pasta 计时器开始了。密码是 hello world this is long 对吧", "zh")
    assert zh.calls == [
        ("好的，", "zh", "zh-zh"),
        ("pasta 计时器开始了。", "zh", "zh-zh"),
        ("密码是", "zh", "zh-zh"),
        ("对吧", "zh", "zh-zh"),
    ]
    assert en.calls == [("hello world this is long", "en", None)]


async def test_latin_goes_to_english_when_the_chinese_engine_cannot_read_it() -> None:
    en, zh = FakeEngine("en", ("en",)), FakeEngine("zh", ("zh",), embedded_latin=False)
    await speaker([en], [zh]).synthesize("好的，pasta 计时器开始了", "zh")
    assert [c[0] for c in zh.calls] == ["好的，", "计时器开始了"]
    en.calls.clear()
    await speaker([en], [zh]).synthesize("我们吃 pasta 吧", "zh")
    assert [c[0] for c in en.calls] == ["pasta"]
    assert [c[0] for c in en.calls] == ["pasta"]


async def test_an_engine_that_does_not_load_falls_back_once() -> None:
    kokoro = FakeEngine("kokoro", ("zh",), load_error="Kokoro model missing: pip install …")
    espeak = FakeEngine("espeak", ("en", "zh"), rate=22_050)
    voice = speaker([espeak], [kokoro, espeak], voices={"zh": "zf_xiaoxiao"})
    assert await voice.load() == {"en": "espeak", "zh": "espeak"}
    await voice.synthesize("你好。再见。", "zh")
    assert kokoro.loads == 1
    # the wanted voice is Kokoro's, so espeak-ng speaks with its own default
    assert espeak.calls == [("你好。", "zh", None), ("再见。", "zh", None)]


async def test_a_span_that_fails_goes_to_the_next_engine() -> None:
    kokoro = FakeEngine("kokoro", ("zh",), fail_on="坏")
    espeak = FakeEngine("espeak", ("zh",))
    voice = speaker([FakeEngine("en", ("en",))], [kokoro, espeak])
    audio = await voice.synthesize("好的，这句话很坏。", "zh")
    assert audio.frames > 0
    assert [c[0] for c in kokoro.calls] == ["好的，", "这句话很坏。"]
    assert [c[0] for c in espeak.calls] == ["这句话很坏。"]


async def test_no_engine_left_is_a_clear_error() -> None:
    broken = FakeEngine("kokoro", ("zh",), load_error="model missing")
    voice = speaker([FakeEngine("en", ("en",))], [broken])
    with pytest.raises(
        EngineError, match=r"no text-to-speech engine can speak 'zh'.*model missing"
    ):
        await voice.synthesize("你好", "zh")


async def test_bad_input_is_refused_before_any_synthesis() -> None:
    en = FakeEngine("en", ("en",))
    voice = speaker([en], [FakeEngine("zh", ("zh",))], max_chars=5_000)
    for text in ("", "   ", "😀🎉👍", "..."):
        with pytest.raises(InputError, match="nothing to say"):
            await voice.synthesize(text, "en")
    with pytest.raises(InputError, match="10,000 characters; the limit is 5,000"):
        await voice.synthesize("a" * 10_000, "en")
    with pytest.raises(LanguageError):
        await voice.synthesize("bonjour", "fr")
    assert en.calls == []


async def test_long_text_under_the_limit_streams_in_many_clauses() -> None:
    en = FakeEngine("en", ("en",))
    voice = speaker([en], [FakeEngine("zh", ("zh",))])
    text = "This is one sentence of a long reply. " * 100
    count = 0
    async for _ in voice.speak(text, "en"):
        count += 1
    assert count == 100
    assert max(len(c[0]) for c in en.calls) < 60


async def test_short_openers_are_synthesized_once() -> None:
    en = FakeEngine("en", ("en",))
    voice = speaker([en], [FakeEngine("zh", ("zh",))], cache_clauses=8)
    first = await voice.synthesize("Okay, the lights are off now.", "en")
    again = await voice.synthesize("Okay, the timer is running now.", "en")
    assert [c[0] for c in en.calls] == [
        "Okay,",
        "the lights are off now.",
        "the timer is running now.",
    ]
    assert np.array_equal(first.samples[:1000], again.samples[:1000])
    uncached = speaker([en], [FakeEngine("zh", ("zh",))], cache_clauses=0)
    await uncached.synthesize("Okay, the lights are off now.", "en")
    assert [c[0] for c in en.calls].count("Okay,") == 2


async def test_closing_the_stream_stops_synthesis() -> None:
    en = FakeEngine("en", ("en",))
    voice = speaker([en], [FakeEngine("zh", ("zh",))], prefetch_clauses=1)
    stream = voice.speak("This is one sentence of a long reply. " * 50, "en")
    await anext(stream)
    await stream.aclose()
    await asyncio.sleep(0.05)
    assert len(en.calls) <= 3


async def test_say_to_file_writes_a_whole_wav(tmp_path: Path) -> None:
    voice = speaker([FakeEngine("en", ("en",))], [FakeEngine("zh", ("zh",))])
    out = tmp_path / "reply.wav"
    result = await say_to_file("好的，计时器开始了。", out, speaker=voice)
    assert result.language == "zh"
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22_050, 1, 2)
        assert wav.getnframes() / 22_050 == pytest.approx(result.audio_s)
    assert 0 < result.first_audio_s <= result.total_s
    with pytest.raises(InputError):
        await say_to_file("😀", tmp_path / "nothing.wav", speaker=voice, language="en")
    with pytest.raises(InputError, match="cannot write"):
        await say_to_file("Hello.", tmp_path / "missing" / "x.wav", speaker=voice)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reply.wav"]
