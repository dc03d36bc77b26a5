"""How the NLU reads typed values: a small protocol, by default backed by ``ting.values``.

The engine takes the backend as a constructor argument, so tests and benchmarks can hand in
another one without patching.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Protocol

from ting.nlu.types import ParseContext

__all__ = ["ValueBackend", "ValuesModule", "default_value_types"]


class ValueBackend(Protocol):
    """Parses and samples phrases of the value types (duration, datetime, number, ...)."""

    @property
    def types(self) -> frozenset[str]: ...

    def parse(self, value_type: str, text: str, ctx: ParseContext) -> object | None: ...

    def sample(
        self, value_type: str, language: str, rng: random.Random, count: int
    ) -> list[str]: ...

    def phrase_classes(self) -> Mapping[str, tuple[str, ...]]:
        """Words and phrases of values by class ("friday" -> weekday, "new zealand" ->
        country), marks for the slot tagger."""
        ...


class ValuesModule:
    """The ``ting.values`` parsers."""

    @property
    def types(self) -> frozenset[str]:
        from ting.values import VALUE_TYPES

        return frozenset(VALUE_TYPES)

    def parse(self, value_type: str, text: str, ctx: ParseContext) -> object | None:
        from ting.values import parse_value

        parsed: object | None = parse_value(value_type, text, ctx)
        return parsed

    def sample(self, value_type: str, language: str, rng: random.Random, count: int) -> list[str]:
        from ting.values import sample_phrases

        return list(sample_phrases(value_type, language, rng, count))

    def phrase_classes(self) -> Mapping[str, tuple[str, ...]]:
        from ting.values import phrase_classes

        return phrase_classes()


def default_value_types() -> frozenset[str]:
    return ValuesModule().types
