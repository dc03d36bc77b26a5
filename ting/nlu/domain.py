"""What the NLU knows: intents, rules and slot lists per language, merged over all skills."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ting.errors import NluError

__all__ = ["TEXT_TYPE", "IntentSpec", "ListEntry", "NluDomain", "NumberRange", "SlotList"]

TEXT_TYPE = "text"
"""Slot type for free text: any non-empty span, learned from templates and examples."""


@dataclass(frozen=True)
class ListEntry:
    synonyms: tuple[str, ...]
    """Texts that mean this value (matched case-insensitively, ignoring punctuation)."""
    value: Any
    """The canonical value a slot gets (a string unless the YAML says otherwise)."""


@dataclass(frozen=True)
class NumberRange:
    start: float
    stop: float
    step: float = 1

    def contains(self, number: float) -> bool:
        if not self.start <= number <= self.stop:
            return False
        steps = (number - self.start) / self.step
        return abs(steps - round(steps)) < 1e-9


@dataclass(frozen=True)
class SlotList:
    name: str
    entries: tuple[ListEntry, ...] = ()
    range: NumberRange | None = None


@dataclass(frozen=True)
class IntentSpec:
    name: str
    skill: str
    language: str
    slots: Mapping[str, str]
    """Slot name -> type: a value type, ``text`` or a list name."""
    sentences: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    """Previous intents this one needs (``*``: any active conversation); empty: always."""
    source: str = ""
    """Where the intent was defined (a file name), for error messages."""

    def allowed_in(self, active_context: str | None) -> bool:
        if not self.context:
            return True
        if active_context is None:
            return False
        return "*" in self.context or active_context in self.context


@dataclass(frozen=True)
class LanguageData:
    """One language's share of the domain."""

    intents: tuple[IntentSpec, ...]
    rules: Mapping[str, str] = field(default_factory=dict)
    lists: Mapping[str, SlotList] = field(default_factory=dict)


@dataclass(frozen=True)
class NluDomain:
    """All skills' intent data; intents are unique by name, rules and lists by name per
    language (two skills may define the same list only with the same content)."""

    languages: Mapping[str, LanguageData]

    @classmethod
    def merge(cls, parts: Iterable[NluDomain]) -> NluDomain:
        intents: list[IntentSpec] = []
        rules: dict[str, dict[str, str]] = {}
        lists: dict[str, dict[str, SlotList]] = {}
        for part in parts:
            for language, data in part.languages.items():
                intents.extend(data.intents)
                _merge_named(rules.setdefault(language, {}), data.rules, "rule", language)
                _merge_named(lists.setdefault(language, {}), data.lists, "list", language)
        _check_unique(intents)
        return cls(
            {
                language: LanguageData(
                    tuple(i for i in intents if i.language == language),
                    rules.get(language, {}),
                    lists.get(language, {}),
                )
                for language in sorted(set(rules) | {i.language for i in intents})
            }
        )

    def intents(self, language: str) -> list[IntentSpec]:
        data = self.languages.get(language)
        return list(data.intents) if data else []

    def intent(self, name: str) -> IntentSpec | None:
        for data in self.languages.values():
            for spec in data.intents:
                if spec.name == name:
                    return spec
        return None

    def lists(self, language: str) -> Mapping[str, SlotList]:
        data = self.languages.get(language)
        return data.lists if data else {}

    def rules(self, language: str) -> Mapping[str, str]:
        data = self.languages.get(language)
        return data.rules if data else {}

    def fingerprint(self) -> str:
        """A hash of everything that shapes the trained models (not where things came from)."""
        blob = json.dumps(_canonical(self), sort_keys=True, ensure_ascii=False, default=repr)
        return hashlib.sha256(blob.encode()).hexdigest()


def _canonical(domain: NluDomain) -> dict[str, Any]:
    return {
        language: {
            "intents": [
                [i.name, i.skill, dict(i.slots), i.sentences, i.examples, i.context]
                for i in data.intents
            ],
            "rules": dict(data.rules),
            "lists": {
                name: [[[e.synonyms, e.value] for e in lst.entries], repr(lst.range)]
                for name, lst in data.lists.items()
            },
        }
        for language, data in domain.languages.items()
    }


def _merge_named(into: dict[str, Any], new: Mapping[str, Any], kind: str, language: str) -> None:
    for name, value in new.items():
        if name in into and into[name] != value:
            raise NluError(f"{kind} '{name}' ({language}) is defined twice, differently")
        into[name] = value


def _check_unique(intents: Sequence[IntentSpec]) -> None:
    skills: dict[str, IntentSpec] = {}
    seen: dict[tuple[str, str], IntentSpec] = {}
    for spec in intents:
        owner = skills.setdefault(spec.name, spec)
        if owner.skill != spec.skill:
            raise NluError(
                f"intent {spec.name} is defined by two skills: {owner.skill} ({owner.source}) "
                f"and {spec.skill} ({spec.source})"
            )
        other = seen.setdefault((spec.name, spec.language), spec)
        if other is not spec:
            raise NluError(
                f"intent {spec.name} ({spec.language}) is defined twice: {other.source} "
                f"and {spec.source}"
            )
