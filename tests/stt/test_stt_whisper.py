"""faster-whisper end to end on real clips (tolerant), noise and silence, bad input.

Skips with a reason when faster-whisper, the model packages or the shared clips are absent.
The model cache is ``TING_MODEL_CACHE`` when set (keeps the joined base model between runs).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ting.audio import SPEECH_FORMAT, AudioChunk, AudioFormat, read_audio
from ting.errors import ConfigError, InputError
from ting.models import ModelResolver, ModelSettings
from ting.stt import FasterWhisperEngine, SttOptions

SHARED_AUDIO = Path(__file__).resolve().parents[3] / "shared" / "data" / "audio"
AUDIO = SHARED_AUDIO if SHARED_AUDIO.is_dir() else Path(__file__).resolve().parents[1] / "clips"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("faster_whisper") is None, reason="faster-whisper is not installed"
)


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def cer(hypothesis: str, reference: str) -> float:
    keep = [c for c in hypothesis if "\u4e00" <= c <= "\u9fff"]
    ref = [c for c in reference if "\u4e00" <= c <= "\u9fff"]
    return edit_distance(keep, ref) / len(ref)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FasterWhisperEngine]:
    cache = os.environ.get("TING_MODEL_CACHE")
    folder = Path(cache) if cache else tmp_path_factory.mktemp("models")
    resolver = ModelResolver(ModelSettings(cache_dir=folder, download=False))
    try:
        resolver.resolve("whisper-tiny.en")
        resolver.resolve("whisper-base")
    except ConfigError as error:
        pytest.skip(str(error))
    whisper = FasterWhisperEngine(resolver, vocabulary=("timer", "计时器"))
    asyncio.run(whisper.load())
    yield whisper
    asyncio.run(whisper.aclose())


def clip(name: str) -> AudioChunk:
    path = AUDIO / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared data)")
    return read_audio(path)


async def stream_in_real_time(engine: FasterWhisperEngine, audio: AudioChunk) -> list[str]:
    partials: list[str] = []
    stream = engine.start(SttOptions(on_partial=partials.append))
    samples = np.concatenate([audio.samples, np.zeros(8000, np.float32)])
    for offset in range(0, samples.size, 1600):
        await stream.push(AudioChunk(samples[offset : offset + 1600], SPEECH_FORMAT))
        await asyncio.sleep(0.05)  # twice real time: background passes keep up on 2 cores
    transcript = await stream.finish(speech_end_s=audio.duration_s)
    partials.append(transcript.text)
    return partials


async def test_english_clip(engine: FasterWhisperEngine) -> None:
    transcript = await engine.transcribe(clip("en_jfk.flac"))
    words = transcript.text.lower()
    assert transcript.language == "en"
    for word in ("fellow americans", "ask not", "your country"):
        assert word in words


async def test_mandarin_clip_streamed_in_simplified(engine: FasterWhisperEngine) -> None:
    texts = await stream_in_real_time(engine, clip("zh_funasr_asr_example.wav"))
    final = texts[-1]
    assert len(texts) >= 3, "partial transcripts while the audio arrived"
    assert cer(final, "欢迎大家来体验达摩院推出的语音识别模型") <= 0.3
    assert "體" not in final and "識" not in final


async def test_noise_and_silence_give_empty_text(engine: FasterWhisperEngine) -> None:
    rng = np.random.default_rng(7)
    cases = {
        "silence": np.zeros(32000, np.float32),
        "white noise": rng.normal(0, 0.1, 32000).astype(np.float32),
        "loud clipped noise": np.clip(rng.normal(0, 0.8, 32000), -1, 1).astype(np.float32),
        "hum": (0.3 * np.sin(2 * np.pi * 50 * np.arange(32000) / 16000)).astype(np.float32),
    }
    for name, samples in cases.items():
        transcript = await engine.transcribe(AudioChunk(samples, SPEECH_FORMAT))
        assert transcript.text == "", name


async def test_wrong_audio_is_an_input_error(engine: FasterWhisperEngine) -> None:
    with pytest.raises(InputError):
        await engine.transcribe(AudioChunk(np.zeros(4800, np.float32), AudioFormat(48000)))
    with pytest.raises(InputError):
        engine.start(SttOptions(language="fr"))
    assert engine.capabilities.languages == ("en", "zh")


# -- commands decoded twice over (the short-encoder-window loop) ---------------------------

COMMANDS = ("What time is it?", "Turn on the kitchen light.", "What's the date today?")


async def piper_command(resolver: ModelResolver, text: str) -> np.ndarray:
    from ting.audio import resample
    from ting.errors import EngineError
    from ting.tts.piper import PiperEngine

    piper = PiperEngine(resolver)
    try:
        pieces = [chunk async for chunk in piper.synthesize(text, "en")]
    except EngineError as error:
        pytest.skip(str(error))
    finally:
        await piper.aclose()
    samples = np.concatenate([chunk.samples for chunk in pieces])
    speech = resample(samples, pieces[0].format.sample_rate, SPEECH_FORMAT.sample_rate)
    loud = np.nonzero(np.abs(speech) > 0.01)[0]
    return speech[loud[0] : loud[-1] + 1].astype(np.float32)


def words_of(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() or c == "'" else " " for c in text).split()]


def restarts(heard: list[str], expected: list[str]) -> bool:
    """Whether ``heard`` begins the command again after its start (a decoding loop)."""
    opening = expected[:2]
    return any(heard[i : i + 2] == opening for i in range(1, len(heard)))


async def test_short_commands_are_not_decoded_twice(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Regression: with only 1 s of silence after the audio in the encoder input, whisper read
    "What time is it?" again from the start ("What time is it? What time is it? What…") in
    about a quarter of the passes. Buffers that hold the whole command are decoded with the
    echo guard off and a generous token budget, so the decoder itself is tested; buffers cut
    in the middle of the last word (the passes while the user speaks, where a loop is still
    possible though rare: none in 72 such buffers of the benchmark commands) go through the
    guard as in use."""
    from ting.stt import WhisperDecoder, WhisperSettings

    cache = os.environ.get("TING_MODEL_CACHE")
    folder = Path(cache) if cache else tmp_path_factory.mktemp("models")
    resolver = ModelResolver(ModelSettings(cache_dir=folder, download=False))
    try:
        resolver.resolve("whisper-tiny.en")
    except ConfigError as error:
        pytest.skip(str(error))
    raw = WhisperSettings(multilingual_model=None, drop_echoes=False, tokens_per_second=40.0)
    decoders = {
        "raw": WhisperDecoder(raw, resolver),
        "guarded": WhisperDecoder(WhisperSettings(multilingual_model=None), resolver),
    }
    lead = np.zeros(4800, np.float32)
    for command in COMMANDS:
        speech = await piper_command(resolver, command)
        expected = words_of(command.lower())
        for tail_s in (-0.3, 0.2, 1.5):
            end = lead.size + speech.size + int(tail_s * SPEECH_FORMAT.sample_rate)
            audio = np.concatenate([lead, speech, np.zeros(24000, np.float32)])[:end]
            decoder = decoders["raw" if tail_s > 0 else "guarded"]
            heard = words_of(decoder.decode(audio, language="en").text.lower())
            assert not restarts(heard, expected), (command, tail_s, heard)
            # A last word cut in the middle may be heard as two ("today" -> "to date").
            assert len(heard) <= len(expected) + (tail_s < 0), (command, tail_s, heard)
            if tail_s > 0:
                assert len(set(expected) - set(heard)) <= 1, (command, tail_s, heard)
