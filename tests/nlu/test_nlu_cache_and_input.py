"""The model cache, and inputs that must not surprise anyone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ting.errors import InputError, NluError
from ting.nlu import NluDomain, NluEngine, domain_from_mapping
from ting.nlu.types import ParseContext

PROBES = [
    "set a timer for 5 minutes called pasta",
    "could you start a countdown of ten minutes",
    "把卫生间的灯打开",
    "is it going to rain in london tomorrow",
    "what is the meaning of life",
]


def test_second_build_loads_from_cache_fast_and_identical(
    domain: NluDomain, ctx: ParseContext, tmp_path: Path
) -> None:
    trained = NluEngine.build(domain, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("nlu-*.npz"))) == 1
    assert len(list(tmp_path.glob("nlu-*.json"))) == 1
    started = time.perf_counter()
    cached = NluEngine.build(domain, cache_dir=tmp_path)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.1, f"cached build took {elapsed * 1000:.0f} ms"
    for text in PROBES:
        assert cached.parse(text, ctx) == trained.parse(text, ctx)


def test_changing_the_domain_invalidates_the_cache(ctx: ParseContext, tmp_path: Path) -> None:
    def domain(extra: str) -> NluDomain:
        data = {"language": "en", "intents": {"Hello": {"sentences": ["hello", extra]}}}
        return domain_from_mapping(data, skill="greet")

    NluEngine.build(domain("hi there"), cache_dir=tmp_path)
    NluEngine.build(domain("good day"), cache_dir=tmp_path)
    assert len(list(tmp_path.glob("nlu-*.npz"))) == 2


def test_a_corrupt_cache_is_retrained(domain: NluDomain, ctx: ParseContext, tmp_path: Path) -> None:
    NluEngine.build(domain, cache_dir=tmp_path)
    for path in tmp_path.glob("nlu-*.npz"):
        path.write_bytes(b"not a model")
    engine = NluEngine.build(domain, cache_dir=tmp_path)
    assert engine.parse(PROBES[0], ctx).intent == "TimerStart"


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x01\x1b[31m", "🙂🙂🎉", "!!!???。。。", "\u200b\u200d", "x" * 100_000]
)
def test_bad_input_gives_no_intent_quickly(engine: NluEngine, ctx: ParseContext, text: str) -> None:
    started = time.perf_counter()
    result = engine.parse(text, ctx)
    assert time.perf_counter() - started < 0.05
    assert (result.intent, result.source, result.slots) == (None, "none", {})


def test_long_but_acceptable_input_is_parsed(engine: NluEngine, ctx: ParseContext) -> None:
    result = engine.parse("set a timer for 5 minutes " + "please " * 100, ctx)
    assert result.intent in (None, "TimerStart")


def test_non_text_input_is_refused(engine: NluEngine, ctx: ParseContext) -> None:
    with pytest.raises(InputError):
        engine.parse(b"bytes", ctx)  # type: ignore[arg-type]


def test_parse_slot_value_for_dialog_answers(engine: NluEngine, ctx: ParseContext) -> None:
    assert engine.parse_slot_value("city", "北京", ctx, "zh") == "beijing"
    assert engine.parse_slot_value("city", "in new york please", ctx, "en") == "new york"
    assert engine.parse_slot_value("level", "五十", ctx, "zh") == 50
    assert engine.parse_slot_value("level", "500", ctx, "zh") is None
    assert engine.parse_slot_value("duration", "ten minutes please", ctx, "en") is not None
    assert engine.parse_slot_value("text", "  Pasta!  ", ctx, "en") == "Pasta"
    assert engine.parse_slot_value("city", "", ctx, "en") is None
    with pytest.raises(NluError):
        engine.parse_slot_value("furlongs", "5", ctx, "en")
    with pytest.raises(NluError):
        engine.parse_slot_value("city", "paris", ctx, "fr")


def test_intents_lists_the_language_specs(engine: NluEngine) -> None:
    names = {spec.name for spec in engine.intents("zh")}
    assert {"TimerStart", "WeatherGet", "LightOn"} <= names
    assert engine.intents("fr") == []
