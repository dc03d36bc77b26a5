"""Load intent data (YAML, one file per skill per language) into an ``NluDomain``.

    language: en
    intents:
      TimerStart:
        slots: {duration: duration, name: text}     # a value type, "text" or a list name
        sentences: ["(set|start) [a] <timer> for {duration}"]
        examples: ["can you time [5 minutes](duration) for me"]
        context: []                                # previous intents needed; "*" = any
    rules: {timer: "(timer|countdown)"}
    lists:
      city: {values: [beijing, {in: ["new york", "纽约"], out: "America/New_York"}]}
      minutes: {range: {from: 1, to: 120, step: 1}}

Everything is checked when loading, and the first problem raises ``NluError`` naming the file,
the intent and the sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ting.errors import NluError
from ting.nlu.domain import (
    TEXT_TYPE,
    IntentSpec,
    LanguageData,
    ListEntry,
    NluDomain,
    NumberRange,
    SlotList,
)
from ting.nlu.examples import parse_example
from ting.nlu.grammar import parse_template, resolve_rules, slot_names
from ting.nlu.slot_values import default_value_types
from ting.nlu.types import SUPPORTED_LANGUAGES

__all__ = [
    "domain_from_examples",
    "domain_from_mapping",
    "load_domain",
    "load_intent_file",
    "read_intent_file",
    "read_mapping",
]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FILE_KEYS = {"language", "intents", "rules", "lists"}
_INTENT_KEYS = {"slots", "sentences", "examples", "context"}


def load_domain(
    files: Iterable[tuple[str, Path]], *, value_types: frozenset[str] | None = None
) -> NluDomain:
    """Load ``(skill, path)`` pairs, merge them and validate the result."""
    parts = [read_intent_file(path, skill) for skill, path in files]
    return validate_domain(NluDomain.merge(parts), value_types)


def load_intent_file(
    path: Path, skill: str, *, value_types: frozenset[str] | None = None
) -> NluDomain:
    return load_domain([(skill, path)], value_types=value_types)


def domain_from_mapping(
    data: Mapping[str, Any],
    *,
    skill: str,
    source: str = "<memory>",
    value_types: frozenset[str] | None = None,
) -> NluDomain:
    """A domain from one file's content, already parsed (handy in tests)."""
    return validate_domain(read_mapping(data, skill, source), value_types)


def domain_from_examples(
    language: str,
    examples: Mapping[str, Sequence[str]],
    *,
    slots: Mapping[str, Mapping[str, str]] | None = None,
    skill: str = "examples",
    value_types: frozenset[str] | None = None,
) -> NluDomain:
    """A template-free domain from annotated examples (intent -> sentences).

    Slots default to every annotated slot name with type ``text``: custom entities learned from
    the examples alone (benchmarks such as SNIPS need nothing more).
    """
    intents = {}
    for intent, sentences in examples.items():
        declared = dict((slots or {}).get(intent) or _annotated_slots(sentences))
        intents[intent] = {"slots": declared, "examples": list(sentences)}
    data = {"language": language, "intents": intents}
    return domain_from_mapping(data, skill=skill, value_types=value_types)


def _annotated_slots(sentences: Sequence[str]) -> dict[str, str]:

    names = {m.group(1).strip() for s in sentences for m in re.finditer(r"\]\(([^()]*)\)", s)}
    return dict.fromkeys(sorted(names), TEXT_TYPE)


def read_intent_file(path: Path, skill: str) -> NluDomain:
    """One file as a domain part, not yet validated (its lists may live in another file)."""
    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.load(stream, Loader=_Loader)
    except OSError as error:
        raise NluError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise NluError(f"{path}: not valid YAML: {error}") from error
    return read_mapping(data, skill, str(path))


def read_mapping(data: Any, skill: str, source: str) -> NluDomain:
    """One file's parsed content as a domain part, not yet validated."""
    if not isinstance(data, Mapping):
        raise NluError(f"{source}: expected a mapping with 'language' and 'intents'")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise NluError(f"{source}: unknown keys {sorted(unknown)}")
    language = data.get("language")
    if language not in SUPPORTED_LANGUAGES:
        raise NluError(f"{source}: language must be one of {SUPPORTED_LANGUAGES}, not {language!r}")
    rules = _mapping(data.get("rules"), f"{source}: rules")
    lists = _mapping(data.get("lists"), f"{source}: lists")
    intents = _mapping(data.get("intents"), f"{source}: intents")
    for name, rule in rules.items():
        if not isinstance(rule, str):
            raise NluError(f"{source}: rule <{name}> must be a string")
    local = _local_rule_names(skill, [str(name) for name in rules])
    parsed = [_intent(name, spec, skill, language, source) for name, spec in intents.items()]
    return NluDomain(
        {
            language: LanguageData(
                tuple(_with_local_rules(spec, local) for spec in parsed),
                {local[str(name)]: _localize(rule, local) for name, rule in rules.items()},
                {str(name): _slot_list(str(name), spec, source) for name, spec in lists.items()},
            )
        }
    )


def _local_rule_names(skill: str, names: Sequence[str]) -> dict[str, str]:
    """A file's rules are its own: ``<please>`` in skill "time" becomes ``<time.please>``, so two
    skills never clash over a rule name."""
    return {name: f"{skill}.{name}" for name in names}


def _localize(template: str, local: Mapping[str, str]) -> str:
    for name, qualified in local.items():
        template = template.replace(f"<{name}>", f"<{qualified}>")
    return template


def _with_local_rules(spec: IntentSpec, local: Mapping[str, str]) -> IntentSpec:
    if not local:
        return spec
    sentences = tuple(_localize(sentence, local) for sentence in spec.sentences)
    return dataclasses.replace(spec, sentences=sentences)


def _mapping(value: Any, where: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise NluError(f"{where} must be a mapping")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise NluError(f"{where} must be a list of strings")
    return tuple(value)


def _intent(name: Any, spec: Any, skill: str, language: str, source: str) -> IntentSpec:
    where = f"{source}: intent {name}"
    spec = _mapping(spec, where)
    unknown = set(spec) - _INTENT_KEYS
    if unknown:
        raise NluError(f"{where}: unknown keys {sorted(unknown)}")
    slots = _mapping(spec.get("slots"), f"{where}: slots")
    if not all(isinstance(t, str) for t in slots.values()):
        raise NluError(f"{where}: slot types must be strings")
    return IntentSpec(
        name=str(name),
        skill=skill,
        language=language,
        slots={str(slot): t for slot, t in slots.items()},
        sentences=_strings(spec.get("sentences"), f"{where}: sentences"),
        examples=_strings(spec.get("examples"), f"{where}: examples"),
        context=_strings(spec.get("context"), f"{where}: context"),
        source=source,
    )


def _slot_list(name: str, spec: Any, source: str) -> SlotList:
    where = f"{source}: list {name}"
    spec = _mapping(spec, where)
    if "range" in spec:
        bounds = _mapping(spec["range"], f"{where}: range")
        try:
            number_range = NumberRange(
                float(bounds["from"]), float(bounds["to"]), float(bounds.get("step", 1))
            )
        except (KeyError, TypeError, ValueError) as error:
            raise NluError(f"{where}: range needs numbers 'from', 'to' (and 'step')") from error
        if number_range.step <= 0 or number_range.stop < number_range.start:
            raise NluError(f"{where}: empty range")
        return SlotList(name, range=number_range)
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        raise NluError(f"{where}: needs 'values' (a non-empty list) or 'range'")
    return SlotList(name, tuple(_list_entry(value, where) for value in values))


def _list_entry(value: Any, where: str) -> ListEntry:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return ListEntry((str(value),), value)
    if isinstance(value, Mapping) and "in" in value:
        synonyms = _strings(value["in"], f"{where}: 'in'")
        if not synonyms or not all(s.strip() for s in synonyms):
            raise NluError(f"{where}: empty synonym in {dict(value)}")
        return ListEntry(synonyms, value.get("out", synonyms[0]))
    raise NluError(f"{where}: a value must be a string or {{in: [...], out: value}}, not {value!r}")


def validate_domain(domain: NluDomain, value_types: frozenset[str] | None) -> NluDomain:
    """Compile every template and example once; raise ``NluError`` on the first problem."""
    known_values = default_value_types() if value_types is None else value_types
    for language, data in domain.languages.items():
        rules = _compiled_rules(data.rules, language)
        for spec in data.intents:
            _validate_intent(spec, rules, frozenset(data.lists) | known_values | {TEXT_TYPE})
    return domain


def _compiled_rules(rules: Mapping[str, str], language: str) -> dict[str, Any]:
    compiled = {}
    for name, text in rules.items():
        try:
            compiled[name] = parse_template(text)
        except NluError as error:
            raise NluError(f"rule <{name}> ({language}): {error}") from error
    return compiled


def _validate_intent(spec: IntentSpec, rules: Mapping[str, Any], types: frozenset[str]) -> None:
    where = f"{spec.source}: intent {spec.name}"
    for slot, slot_type in spec.slots.items():
        if slot_type not in types:
            raise NluError(
                f"{where}: slot '{slot}' has type '{slot_type}', which is neither a value type, "
                f"'{TEXT_TYPE}' nor a list"
            )
    for sentence in spec.sentences:
        try:
            node = resolve_rules(parse_template(sentence), rules)
        except NluError as error:
            raise NluError(f"{where}: sentence {sentence!r}: {error}") from error
        undeclared = slot_names(node) - set(spec.slots)
        if undeclared:
            raise NluError(
                f"{where}: sentence {sentence!r}: slot {{{sorted(undeclared)[0]}}} is not declared"
            )
    for example in spec.examples:
        try:
            parse_example(example, set(spec.slots))
        except NluError as error:
            raise NluError(f"{where}: example {example!r}: {error}") from error
