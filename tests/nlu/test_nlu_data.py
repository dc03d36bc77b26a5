"""Loading intent YAML: the format, merging skills, and errors that name file, intent, sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ting.errors import NluError
from ting.nlu import NluDomain, domain_from_examples, domain_from_mapping, load_domain
from ting.nlu.domain import NumberRange

VALUE_TYPES = frozenset({"number", "integer", "duration", "datetime", "percentage", "temperature"})


def build(data: dict[str, Any], skill: str = "timers") -> NluDomain:
    return domain_from_mapping(data, skill=skill, source="timers_en.yaml", value_types=VALUE_TYPES)


def timer_file(**intent: Any) -> dict[str, Any]:
    spec = {"slots": {"duration": "duration"}, "sentences": ["set a timer for {duration}"]}
    spec.update(intent)
    return {"language": "en", "intents": {"TimerStart": spec}, "rules": {"t": "(timer|clock)"}}


def test_test_domain_loads_with_skills_lists_and_context(domain: NluDomain) -> None:
    assert set(domain.languages) == {"en", "zh"}
    start = domain.intent("TimerStart")
    assert start is not None and start.skill == "timers"
    assert dict(start.slots) == {"duration": "duration", "name": "text"}
    assert {spec.language for spec in domain.intents("zh")} == {"zh"}
    never = domain.intent("Nevermind")
    assert never is not None and never.context == ("*",)
    assert not never.allowed_in(None) and never.allowed_in("TimerStart")
    city = domain.lists("en")["city"]
    assert ("new york", "nyc", "纽约") in [entry.synonyms for entry in city.entries]
    assert domain.lists("zh")["level"].range == NumberRange(0, 100, 1)


def test_lists_accept_plain_values_synonyms_and_ranges() -> None:
    data = timer_file(slots={"city": "city", "n": "minutes"}, sentences=["in {city} {n}"])
    data["lists"] = {
        "city": {"values": ["beijing", {"in": ["new york", "nyc"], "out": "America/New_York"}]},
        "minutes": {"range": {"from": 1, "to": 120, "step": 1}},
    }
    lists = build(data).lists("en")
    assert [(e.synonyms, e.value) for e in lists["city"].entries] == [
        (("beijing",), "beijing"),
        (("new york", "nyc"), "America/New_York"),
    ]
    assert lists["minutes"].range == NumberRange(1, 120, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"sentences": ["set a (timer for {duration}"]},
            r"timers_en.yaml: intent TimerStart: sentence 'set a \(timer for \{duration\}': "
            r"'\(' is never",
        ),
        ({"sentences": ["set a timer for {length}"]}, r"slot \{length\} is not declared"),
        ({"slots": {"duration": "furlongs"}}, "slot 'duration' has type 'furlongs'"),
        ({"sentences": ["set a <clock> for {duration}"]}, "unknown rule <clock>"),
        (
            {"examples": ["time [5 min](length)"]},
            r"intent TimerStart: example 'time \[5 min\]\(length\)': slot 'length'",
        ),
        ({"context": 5}, "context must be a list of strings"),
        ({"slot": {}}, r"unknown keys \['slot'\]"),
    ],
)
def test_errors_name_file_intent_and_sentence(change: dict[str, Any], message: str) -> None:
    with pytest.raises(NluError, match=message):
        build(timer_file(**change))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "fr", "intents": {}}, "language must be one of"),
        ({"language": "en", "intents": [1]}, "intents must be a mapping"),
        ({"language": "en", "intents": {}, "lists": {"x": {}}}, "list x: needs 'values'"),
        (
            {"language": "en", "intents": {}, "lists": {"x": {"range": {"from": 5, "to": 1}}}},
            "empty range",
        ),
        (
            {"language": "en", "intents": {}, "lists": {"x": {"values": [{"in": []}]}}},
            "empty synonym",
        ),
        ({"language": "en", "intents": {}, "rules": {"r": "(a"}}, r"rule <timers\.r> \(en\)"),
    ],
)
def test_file_level_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(NluError, match=message):
        build(data)


def test_duplicate_intent_across_skills_is_an_error() -> None:
    timers = build(timer_file(), skill="timers")
    clocks = build(timer_file(), skill="clocks")
    with pytest.raises(NluError, match="TimerStart is defined by two skills: timers"):
        NluDomain.merge([timers, clocks])


def test_same_intent_in_two_languages_of_one_skill_is_fine() -> None:
    zh = timer_file(sentences=["{duration}的计时器"])
    zh["language"] = "zh"
    merged = NluDomain.merge([build(timer_file()), build(zh)])
    assert [spec.language for spec in merged.intents("zh")] == ["zh"]


def test_bad_yaml_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken_en.yaml"
    path.write_text("language: en\nintents: [unclosed\n", encoding="utf-8")
    with pytest.raises(NluError, match=r"broken_en\.yaml: not valid YAML"):
        load_domain([("broken", path)], value_types=VALUE_TYPES)
    with pytest.raises(NluError, match="cannot read"):
        load_domain([("missing", tmp_path / "missing.yaml")], value_types=VALUE_TYPES)


def test_domain_from_examples_declares_text_slots() -> None:
    domain = domain_from_examples(
        "en",
        {"PlayMusic": ["play [thriller](track) by [michael jackson](artist)"], "Stop": ["stop"]},
        value_types=VALUE_TYPES,
    )
    play = domain.intent("PlayMusic")
    assert play is not None and dict(play.slots) == {"artist": "text", "track": "text"}
    assert play.sentences == ()


def test_fingerprint_changes_with_content_only() -> None:
    one, same = build(timer_file()), build(timer_file())
    other = build(timer_file(sentences=["start a timer for {duration}"]))
    assert one.fingerprint() == same.fingerprint() != other.fingerprint()
