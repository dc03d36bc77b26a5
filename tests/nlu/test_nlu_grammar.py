"""The template grammar, expansion and annotated examples."""

from __future__ import annotations

import random

import pytest

from ting.errors import NluError
from ting.nlu import expand
from ting.nlu.examples import parse_example
from ting.nlu.expand import count_expansions
from ting.nlu.grammar import Alt, Seq, SlotRef, Words, parse_template, resolve_rules, slot_names


def texts(template: str, **rules: str) -> set[str]:
    compiled = {name: parse_template(text) for name, text in rules.items()}
    return {e.text for e in expand(template, rng=random.Random(0), limit=1000, rules=compiled)}


def test_words_are_tokenized_lower_case_without_punctuation() -> None:
    assert parse_template("Turn ON, the light!") == Words(("turn", "on", "the", "light"))


def test_alternatives_optional_and_nesting() -> None:
    assert texts("(set|start) [a|an] timer") == {
        "set a timer",
        "set an timer",
        "set timer",
        "start a timer",
        "start an timer",
        "start timer",
    }
    assert texts("a [b [c]] d") == {"a d", "a b d", "a b c d"}
    assert texts("x|y z") == {"x", "y z"}


def test_optional_is_alternative_with_empty() -> None:
    node = parse_template("[x]")
    assert node == Alt((Words(("x",)), Seq(())))


def test_slots_and_rules() -> None:
    node = resolve_rules(parse_template("<verb> {what}"), {"verb": parse_template("(a|b)")})
    assert slot_names(node) == {"what"}
    assert isinstance(node, Seq) and node.items[1] == SlotRef("what")
    assert texts("<verb> {what}", verb="(a|b)") == {"a {what}", "b {what}"}


def test_chinese_expansion_has_no_spaces_between_characters() -> None:
    assert texts("设[置]一个{duration}的<t>", t="计时器") == {
        "设置一个 {duration} 的计时器",
        "设一个 {duration} 的计时器",
    }


def test_expansion_fills_slots_and_reports_spans() -> None:
    found = expand(
        "set a timer for {duration} called {name}",
        rng=random.Random(1),
        fill=lambda slot: {"duration": "5 minutes", "name": "pasta"}[slot],
    )
    assert len(found) == 1
    assert found[0].text == "set a timer for 5 minutes called pasta"
    assert found[0].slot_text("duration") == "5 minutes"
    assert found[0].slot_text("name") == "pasta"


def test_sampling_respects_limit_and_is_deterministic() -> None:
    template = "(a|b|c|d) (e|f|g|h) (i|j|k|l) (m|n|o|p)"
    assert count_expansions(parse_template(template)) == 256
    first = expand(template, rng=random.Random(3), limit=20)
    again = expand(template, rng=random.Random(3), limit=20)
    assert len(first) == 20 and len({e.text for e in first}) == 20
    assert first == again


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("(set|start timer", "'(' is never closed with ')' at column 1"),
        ("set [a timer", "'[' is never closed with ']' at column 5"),
        ("set a) timer", "unexpected ')' at column 6"),
        ("for {duration", "'{' is never closed with '}' at column 5"),
        ("for {} now", "bad slot name {} at column 5"),
        ("a <bad name> b", "bad rule name <bad name> at column 3"),
        ("a } b", "unexpected '}' at column 3"),
        ("   ", "empty template"),
        ("[]", "template has no words"),
    ],
)
def test_syntax_errors_say_what_and_where(template: str, message: str) -> None:
    with pytest.raises(
        NluError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("{", r"\{"),
    ):
        parse_template(template)


def test_unknown_and_recursive_rules() -> None:
    with pytest.raises(NluError, match="unknown rule <nope>"):
        resolve_rules(parse_template("<nope>"), {})
    loop = {"a": parse_template("x <b>"), "b": parse_template("<a>")}
    with pytest.raises(NluError, match="refers to itself: a -> b -> a"):
        resolve_rules(parse_template("<a>"), loop)


def test_annotated_examples() -> None:
    example = parse_example(
        "i need a [pasta](name) timer for [ten minutes](duration)", {"name", "duration"}
    )
    assert example.text == "i need a pasta timer for ten minutes"
    assert example.slot_text("name") == "pasta"
    assert example.slot_text("duration") == "ten minutes"


@pytest.mark.parametrize(
    ("example", "message"),
    [
        ("time [5 minutes](length)", "slot 'length'"),
        ("time [](duration)", "empty annotation"),
        ("time [5 minutes for me", "unbalanced"),
        ("time 5 minutes](duration)", "unbalanced"),
    ],
)
def test_bad_annotations(example: str, message: str) -> None:
    with pytest.raises(NluError, match=message):
        parse_example(example, {"duration"})
