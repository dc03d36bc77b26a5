"""The template matcher: slot kinds, backtracking, spacing, mixed language, specificity, speed."""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

import pytest

from ting.nlu import NluDomain, NluEngine, ValuesModule, domain_from_mapping, expand
from ting.nlu.grammar import parse_template
from ting.nlu.matcher import TemplateMatcher
from ting.nlu.slots import SlotResolver
from ting.nlu.tokens import prepare
from ting.nlu.types import NluResult, ParseContext


def matcher_for(data: dict[str, Any]) -> tuple[TemplateMatcher, str]:
    domain = domain_from_mapping(data, skill="test")
    language = data["language"]
    resolver = SlotResolver(domain.lists(language), ValuesModule())
    return TemplateMatcher(domain.intents(language), domain.rules(language), resolver), language


def template_parse(engine: NluEngine, text: str, ctx: ParseContext, **kw: Any) -> NluResult:
    result = engine.parse(text, ctx, **kw)
    assert result.source == "template", result
    assert result.confidence == 1.0
    return result


@pytest.mark.parametrize(
    ("text", "duration", "name"),
    [
        ("set a timer for 5 minutes called pasta", 5, "pasta"),
        ("set a timer for 5 minutes", 5, None),
        ("Start a new countdown for ten minutes named Tea Time!", 10, "Tea Time"),
        ("set a timer for 五分钟", 5, None),
        ("SET A TIMER FOR 2 MINUTES, CALLED EGGS.", 2, "EGGS"),
    ],
)
def test_backtracking_value_and_text_slots(
    engine: NluEngine, ctx: ParseContext, text: str, duration: int, name: str | None
) -> None:
    result = template_parse(engine, text, ctx)
    assert (result.intent, result.language) == ("TimerStart", "en")
    assert result.slot("duration") == timedelta(minutes=duration)
    assert result.slot("name") == name


def test_value_slot_must_parse(engine: NluEngine, ctx: ParseContext) -> None:
    result = engine.parse("set a timer for banana", ctx)
    assert result.source != "template"
    assert result.slot("duration") is None


def test_list_slot_with_synonyms_and_mixed_language(engine: NluEngine, ctx: ParseContext) -> None:
    result = template_parse(engine, "把 living room 的灯打开", ctx)
    assert (result.intent, result.language, result.slot("room")) == ("LightOn", "zh", "living_room")
    assert result.slots["room"].text == "living room"
    result = template_parse(engine, "what's the weather in NYC tomorrow", ctx)
    assert result.slot("city") == "new york"
    assert result.slots["when"].text == "tomorrow"
    assert template_parse(engine, "turn on the lounge lights", ctx).slot("room") == "living_room"


def test_range_list_accepts_digits_and_words(engine: NluEngine, ctx: ParseContext) -> None:
    assert template_parse(engine, "dim the kitchen lights to 30 percent", ctx).slot("level") == 30
    assert template_parse(engine, "set the bedroom light to forty", ctx).slot("level") == 40
    assert template_parse(engine, "把客厅的灯调到百分之五十", ctx).slot("level") == 50
    outside = engine.parse("set the kitchen light to 250 percent", ctx)
    assert outside.source != "template"


@pytest.mark.parametrize(
    "text",
    [
        "设置一个五分钟的计时器",
        "设置 一个 五分钟 的 计时器",
        "帮我设一个五分钟的定时器。",
        "设 置一个五 分钟的计时器",
    ],
)
def test_chinese_spacing_and_punctuation_do_not_matter(
    engine: NluEngine, ctx: ParseContext, text: str
) -> None:
    result = template_parse(engine, text, ctx)
    assert (result.intent, result.slot("duration")) == ("TimerStart", timedelta(minutes=5))


def test_most_specific_template_wins(ctx: ParseContext) -> None:
    matcher, _ = matcher_for(
        {
            "language": "en",
            "intents": {
                "Play": {"slots": {"what": "text"}, "sentences": ["play {what}"]},
                "PlayRadio": {"slots": {"station": "text"}, "sentences": ["play radio {station}"]},
            },
        }
    )
    found = matcher.match(prepare("play radio jazz fm", 64), ctx)
    assert [m.intent.name for m in found] == ["PlayRadio", "Play"]
    assert found[0].slots[0].value == "jazz fm"


def test_text_slot_between_literals(ctx: ParseContext) -> None:
    matcher, _ = matcher_for(
        {
            "language": "en",
            "intents": {
                "Remind": {
                    "slots": {"what": "text", "when": "datetime"},
                    "sentences": ["remind me to {what} (at|on) {when}"],
                }
            },
        }
    )
    found = matcher.match(prepare("remind me to call mom at the station at 7 pm", 64), ctx)
    assert len(found) == 1
    slots = {slot.name: slot for slot in found[0].slots}
    assert (slots["what"].start, slots["what"].end) == (3, 8)  # "call mom at the station"


def test_context_intents_need_an_active_conversation(engine: NluEngine, ctx: ParseContext) -> None:
    assert engine.parse("never mind", ctx).intent is None
    result = engine.parse("never mind", ctx, active_context="TimerStart")
    assert (result.intent, result.source) == ("Nevermind", "template")
    assert engine.parse("算了", ctx, active_context="WeatherGet").intent == "Nevermind"


def test_every_sampled_expansion_matches_back(domain: NluDomain, ctx: ParseContext) -> None:
    """Templates tested both ways: what the sampler writes, the matcher reads."""
    values = ValuesModule()
    rng = random.Random(7)
    for language in ("en", "zh"):
        resolver = SlotResolver(domain.lists(language), values)
        matcher = TemplateMatcher(domain.intents(language), domain.rules(language), resolver)
        fills = {
            "duration": "5 minutes" if language == "en" else "五分钟",
            "name": "pasta",
            "city": "london",
            "when": "tomorrow" if language == "en" else "明天",
            "room": "kitchen",
            "level": "40",
        }
        for spec in domain.intents(language):
            for sentence in spec.sentences:
                rules = {n: parse_template(t) for n, t in domain.rules(language).items()}
                for expansion in expand(
                    sentence, rng=rng, limit=15, rules=rules, fill=fills.__getitem__
                ):
                    found = matcher.match(prepare(expansion.text, 64), ctx, "*")
                    assert found and found[0].intent.name == spec.name, expansion.text


def big_domain(intents: int) -> dict[str, Any]:
    verbs = ["open", "close", "start", "stop", "show", "hide", "play", "pause", "check", "find"]
    things = [f"thing{i}" for i in range(intents)]
    return {
        "language": "en",
        "intents": {
            f"Intent{i}": {
                "slots": {"duration": "duration", "room": "room"},
                "sentences": [
                    f"({verbs[i % 10]}|{verbs[(i + 3) % 10]}) [the|my] {things[i]} "
                    "[in the {room}]",
                    f"[please] {verbs[i % 10]} {things[i]} for {{duration}} [please]",
                ],
            }
            for i in range(intents)
        },
        "lists": {"room": {"values": ["kitchen", "living room", "bedroom", "garage"]}},
    }


def test_a_thousand_templates_match_within_a_millisecond_or_so(ctx: ParseContext) -> None:
    matcher, _ = matcher_for(big_domain(500))
    assert len(matcher.templates) == 1000
    utterances = [
        prepare(text, 64)
        for text in [
            "open the thing17 in the living room",
            "please start thing42 for 5 minutes please",
            "find my thing499",
            "what is the meaning of life",
            "stop thing3 for ten minutes",
        ]
    ]
    assert [matcher.match(u, ctx)[0].intent.name for u in utterances[:3]] == [
        "Intent17",
        "Intent42",
        "Intent499",
    ]
    started = time.perf_counter()
    rounds = 40
    for _ in range(rounds):
        for utterance in utterances:
            matcher.match(utterance, ctx)
    per_utterance = (time.perf_counter() - started) / (rounds * len(utterances))
    assert per_utterance < 0.003, f"{per_utterance * 1000:.2f} ms per utterance"
