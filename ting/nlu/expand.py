"""Expand templates into concrete sentences: every one when few, a random sample when many.

Used to train the statistical models and to test templates both ways (a sentence the sampler
produces must be matched back by the matcher). Templates must have their rules resolved.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ting.nlu.grammar import Alt, Node, RuleRef, Seq, SlotRef, Words, parse_template, resolve_rules
from ting.nlu.tokens import join_words

__all__ = ["Expansion", "Item", "SlotSpan", "count_expansions", "expand", "expand_items"]

Item = str | SlotRef
"""One step of an expanded template: a literal word or a slot to fill."""

SlotFiller = Callable[[str], str]
"""Slot name -> a phrase for it."""


@dataclass(frozen=True)
class SlotSpan:
    name: str
    start: int
    end: int
    """Character offsets into ``Expansion.text``."""


@dataclass(frozen=True)
class Expansion:
    text: str
    slots: tuple[SlotSpan, ...] = ()

    def slot_text(self, name: str) -> str | None:
        for span in self.slots:
            if span.name == name:
                return self.text[span.start : span.end]
        return None


def count_expansions(node: Node) -> int:
    """How many item sequences ``node`` stands for (slots count once)."""
    match node:
        case Seq(items):
            total = 1
            for item in items:
                total *= count_expansions(item)
            return total
        case Alt(options):
            return sum(count_expansions(option) for option in options)
        case RuleRef(name):
            raise ValueError(f"rule <{name}> is not resolved")
    return 1


def _enumerate(node: Node) -> Iterator[tuple[Item, ...]]:
    match node:
        case Words(tokens):
            yield tokens
        case SlotRef():
            yield (node,)
        case Alt(options):
            for option in options:
                yield from _enumerate(option)
        case Seq(items):
            yield from _enumerate_seq(items)


def _enumerate_seq(items: tuple[Node, ...]) -> Iterator[tuple[Item, ...]]:
    if not items:
        yield ()
        return
    for head in _enumerate(items[0]):
        for tail in _enumerate_seq(items[1:]):
            yield head + tail


def _sample(node: Node, rng: random.Random, counts: dict[Node, int]) -> tuple[Item, ...]:
    match node:
        case Words(tokens):
            return tokens
        case SlotRef():
            return (node,)
        case Alt(options):
            weights = [_count(option, counts) for option in options]
            chosen = rng.choices(options, weights=weights)[0]
            return _sample(chosen, rng, counts)
        case Seq(items):
            return tuple(part for item in items for part in _sample(item, rng, counts))
    raise ValueError(f"cannot expand {node!r}")


def _count(node: Node, counts: dict[Node, int]) -> int:
    if node not in counts:
        counts[node] = count_expansions(node)
    return counts[node]


def expand_items(node: Node, rng: random.Random, limit: int) -> list[tuple[Item, ...]]:
    """All item sequences of ``node`` if there are at most ``limit``, else ``limit`` samples
    (distinct where the template allows; each sentence equally likely)."""
    if count_expansions(node) <= limit:
        return list(_enumerate(node))
    counts: dict[Node, int] = {}
    found: dict[tuple[Item, ...], None] = {}
    for _ in range(limit * 3):
        found.setdefault(_sample(node, rng, counts))
        if len(found) >= limit:
            break
    return list(found)


def fill_items(items: tuple[Item, ...], fill: SlotFiller) -> Expansion:
    """Join items into a sentence, filling each slot with ``fill(slot_name)``."""
    text = ""
    spans: list[SlotSpan] = []
    for item in items:
        phrase = fill(item.name) if isinstance(item, SlotRef) else item
        if not phrase:
            continue
        joined = join_words([text, phrase]) if text else phrase
        start = len(joined) - len(phrase)
        if isinstance(item, SlotRef):
            spans.append(SlotSpan(item.name, start, len(joined)))
        text = joined
    return Expansion(text, tuple(spans))


def expand(
    template: str | Node,
    *,
    rng: random.Random,
    limit: int = 100,
    rules: dict[str, Node] | None = None,
    fill: SlotFiller | None = None,
) -> list[Expansion]:
    """Concrete sentences of ``template`` with the character spans of their slots.

    ``fill`` gives a phrase for a slot name; without it a slot reads ``{name}``.
    """
    node = parse_template(template) if isinstance(template, str) else template
    node = resolve_rules(node, rules or {})
    filler = fill or (lambda name: "{" + name + "}")
    return [fill_items(items, filler) for items in expand_items(node, rng, limit)]
