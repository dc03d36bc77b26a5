"""Reply templates per language, and how typed values are spoken in them.

A skill's ``responses/<lang>.yaml``::

    description: Set, check, pause and cancel timers.
    examples: ["set a timer for 5 minutes", "how long is left on the pasta timer"]
    responses:
      started: ["Timer set for {duration}.", "OK, {duration}. Starting now."]

Templates use ``str.format`` fields. Values are spoken by type: ``timedelta`` as a duration,
``datetime`` as a time of day (pass ``speak_date``/``speak_datetime`` results as text for dates),
numbers without a trailing ``.0``, lists joined the way each language joins them. ``now`` is the
device's local time, and instants are spoken in its time zone.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from ting.errors import SkillLoadError
from ting.skills.base import Fragment
from ting.values import speak_duration, speak_number, speak_time
from ting.yamlfile import read_yaml


@dataclass(frozen=True)
class SkillTexts:
    """One skill's texts in one language."""

    description: str
    examples: tuple[str, ...]
    responses: Mapping[str, tuple[str, ...]]
    title: str = ""
    """A few words for "what can you do" ("timers", "计时器")."""


def load_texts(path: Path) -> SkillTexts:
    try:
        raw = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as err:
        raise SkillLoadError(f"{path}: cannot read responses: {err}") from err
    responses: dict[str, tuple[str, ...]] = {}
    for key, variants in (raw.get("responses") or {}).items():
        options = (variants,) if isinstance(variants, str) else tuple(variants or ())
        if not options or not all(isinstance(v, str) for v in options):
            raise SkillLoadError(f"{path}: response {key!r} needs one or more strings")
        for option in options:
            _check_format(path, key, option)
        responses[str(key)] = options
    return SkillTexts(
        title=str(raw.get("title", "")),
        description=str(raw.get("description", "")),
        examples=tuple(str(e) for e in raw.get("examples") or ()),
        responses=responses,
    )


def _check_format(path: Path, key: str, template: str) -> None:
    try:
        list(string.Formatter().parse(template))
    except ValueError as err:
        raise SkillLoadError(f"{path}: response {key!r} is not a valid template: {err}") from err


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def speak_list(items: Sequence[str], language: str) -> str:
    """ "milk, eggs and bread" / "牛奶、鸡蛋和面包"."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    if language == "zh":
        return "、".join(words[:-1]) + "和" + words[-1]
    return ", ".join(words[:-1]) + " and " + words[-1]


def speak_value(value: Any, language: str, now: datetime) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, timedelta):
        return speak_duration(value, language)
    if isinstance(value, datetime):
        return speak_time(value.astimezone(now.tzinfo), language, now)
    if isinstance(value, int | float):
        return speak_number(value, language)
    if isinstance(value, list | tuple):
        return speak_list([speak_value(v, language, now) for v in value], language)
    return str(value)


class ResponseRenderer:
    """Picks a variant of a response template and fills it with spoken values."""

    def __init__(self, texts: Mapping[str, SkillTexts], rng: random.Random) -> None:
        self._texts = texts
        self._rng = rng

    def has(self, language: str, key: str) -> bool:
        texts = self._texts.get(language)
        return texts is not None and key in texts.responses

    def render(self, language: str, key: str, values: Mapping[str, Any], now: datetime) -> str:
        text = self._fill(language, key, values, now)
        if language == "en" and text[:1].islower():
            text = text[0].upper() + text[1:]  # "{name} timer set" with name "pasta"
        return text

    def _fill(self, language: str, key: str, values: Mapping[str, Any], now: datetime) -> str:
        variants = self._texts[language].responses[key]
        template = variants[0] if len(variants) == 1 else self._rng.choice(variants)
        spoken = {name: self._speak(value, language, now) for name, value in values.items()}
        return template.format_map(_Missing(spoken))

    def _speak(self, value: Any, language: str, now: datetime) -> str:
        if isinstance(value, Fragment):
            return self._fill(language, value.key, value.values, now)
        if isinstance(value, list | tuple) and value and isinstance(value[0], Fragment):
            return speak_list([self._speak(v, language, now) for v in value], language)
        return speak_value(value, language, now)

    def texts(self, language: str) -> SkillTexts:
        return self._texts[language]


class _Missing(dict[str, str]):
    """Leaves an unknown field visible instead of raising, so a typo never crashes a turn."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
