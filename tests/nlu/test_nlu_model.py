"""The statistical models on paraphrases that are in neither the templates nor the examples."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from ting.nlu import NluEngine, domain_from_examples
from ting.nlu.types import ParseContext

HELD_OUT = Path(__file__).parent / "data" / "heldout"

OUT_OF_DOMAIN = {
    "en": [
        "what is the meaning of life",
        "how do i bake sourdough bread",
        "who won the world cup in 2018",
        "my brother is a doctor",
        "play some jazz",
        "what's the capital of peru",
    ],
    "zh": [
        "我昨天去了公园",
        "我的猫喜欢睡觉",
        "周末去哪里玩比较好",
        "播放周杰伦的歌",
        "这个周末我想睡懒觉",
    ],
}


def held_out(language: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load((HELD_OUT / f"{language}.yaml").read_text("utf-8"))
    return cases


def comparable(value: Any) -> Any:
    return value.total_seconds() / 60 if isinstance(value, timedelta) else value


@pytest.mark.parametrize("language", ["en", "zh"])
def test_held_out_intent_accuracy_and_slots(
    engine: NluEngine, ctx: ParseContext, language: str
) -> None:
    cases = held_out(language)
    assert len(cases) >= 30
    results = [engine.parse(case["text"], ctx) for case in cases]
    right = [r.intent == c["intent"] for r, c in zip(results, cases, strict=True)]
    misses = [c["text"] for c, ok in zip(cases, right, strict=True) if not ok]
    assert sum(right) / len(cases) >= 0.9, misses
    expected = [
        (r, name, value)
        for r, c, ok in zip(results, cases, right, strict=True)
        if ok
        for name, value in (c.get("slots") or {}).items()
    ]
    slots_right = sum(comparable(r.slot(name)) == value for r, name, value in expected)
    assert slots_right / len(expected) >= 0.85
    languages = [r.language for r, ok in zip(results, right, strict=True) if ok]
    assert languages.count(language) / len(languages) >= 0.9


def test_model_results_are_marked_as_such(engine: NluEngine, ctx: ParseContext) -> None:
    result = engine.parse("could you start a countdown of ten minutes", ctx)
    assert (result.intent, result.source) == ("TimerStart", "model")
    assert 0.5 <= result.confidence <= 1.0
    assert result.slot("duration") == timedelta(minutes=10)
    assert result.slots["duration"].text == "ten minutes"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_out_of_domain_is_rejected(engine: NluEngine, ctx: ParseContext, language: str) -> None:
    for text in OUT_OF_DOMAIN[language]:
        result = engine.parse(text, ctx)
        assert result.intent is None, (text, result)
        assert (result.source, result.slots) == ("none", {})
        assert result.language == language
        assert result.confidence > 0.5


def test_context_masks_the_model_too(engine: NluEngine, ctx: ParseContext) -> None:
    assert all(a.intent != "Nevermind" for a in engine.parse("forget about it", ctx).alternatives)


def test_mixed_sentence_by_the_model(engine: NluEngine, ctx: ParseContext) -> None:
    result = engine.parse("帮我开一下 kitchen 的灯吧", ctx)
    assert (result.intent, result.language, result.slot("room")) == ("LightOn", "zh", "kitchen")


def _examples_only_engine() -> NluEngine:
    """No templates at all, as when training on SNIPS-style benchmark data."""
    artists = ["adele", "coldplay", "taylor swift", "the beatles", "miles davis", "queen"]
    genres = ["jazz", "rock", "hip hop", "classical", "blues", "pop"]
    cities = ["paris", "berlin", "madrid", "oslo", "lima", "cairo"]
    examples = {
        "PlayMusic": [
            pattern.format(f"[{a}](artist)")
            for a in artists
            for pattern in ["play something by {}", "put on {} please", "i want to hear {}"]
        ]
        + [f"play some [{g}](genre) music" for g in genres],
        "BookTrip": [
            pattern.format(f"[{c}](city)")
            for c in cities
            for pattern in ["book a trip to {}", "i want to travel to {}", "find flights to {}"]
        ],
    }
    return NluEngine.build(domain_from_examples("en", examples))


def test_examples_only_domain_learns_custom_entities(ctx: ParseContext) -> None:
    """Entities never seen in the examples are tagged from their context (since engine v5 the
    tagger also trains on the examples with their values recombined)."""
    engine = _examples_only_engine()
    result = engine.parse("could you play something by radiohead", ctx, languages=("en",))
    assert result.intent == "PlayMusic"
    assert result.slot("artist") == "radiohead"
    result = engine.parse("find flights to tokyo", ctx, languages=("en",))
    assert (result.intent, result.slot("city")) == ("BookTrip", "tokyo")
    assert engine.parse("what is the meaning of life", ctx, languages=("en",)).intent is None


@pytest.mark.xfail(
    reason="known gap (2026-11-25): the bundled out-of-domain sentences about trips make the "
    "classifier refuse 'book me a trip to tokyo' in a two-intent domain; see the issue 4 notes",
    strict=False,
)
def test_examples_only_domain_accepts_a_reworded_request(ctx: ParseContext) -> None:
    engine = _examples_only_engine()
    result = engine.parse("please book me a trip to tokyo", ctx, languages=("en",))
    assert (result.intent, result.slot("city")) == ("BookTrip", "tokyo")
