"""Training data for the statistical models: annotated examples, sampled template expansions
with their slots filled, and the bundled out-of-domain sentences (the negative class)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from ting.nlu.domain import IntentSpec
from ting.nlu.examples import parse_example
from ting.nlu.expand import expand_items
from ting.nlu.features import gazetteer
from ting.nlu.grammar import Node, SlotRef, parse_template, resolve_rules
from ting.nlu.slot_values import ValueBackend
from ting.nlu.slots import SlotResolver
from ting.nlu.tagger import OUTSIDE, TaggedSentence
from ting.nlu.tokens import tokenize, words_of

__all__ = ["OOD", "SampleSettings", "build_sentences", "bundled_lines"]

OOD = "<ood>"
"""The label of out-of-domain sentences."""


@dataclass(frozen=True)
class SampleSettings:
    sentences_per_intent: int = 150
    """Template expansions sampled per intent (spread over its templates)."""
    example_weight: int = 3
    """How many times each hand-written example counts."""
    value_phrases: int = 60
    """Sample phrases drawn per value type and language."""
    other_language_share: float = 0.2
    """Share of value phrases taken from the other language (mixed sentences)."""


def bundled_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a file in ``ting/nlu/resources``."""
    text = resources.files("ting.nlu").joinpath("resources", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


class _Filler:
    """Phrases for slots: list synonyms, numbers in range, value phrases, free text."""

    def __init__(
        self,
        language: str,
        resolver: SlotResolver,
        values: ValueBackend,
        rng: random.Random,
        settings: SampleSettings,
    ) -> None:
        self.language, self.resolver, self.values = language, resolver, values
        self.rng, self.settings = rng, settings
        self.pools: dict[str, list[str]] = {}
        self.free_text = bundled_lines(f"filler_{language}.txt")

    def phrase(self, slot_type: str) -> str:
        kind = self.resolver.kind(slot_type)
        if kind == "list":
            entry = self.rng.choice(self.resolver.lists[slot_type].entries)
            return self.rng.choice(entry.synonyms)
        if kind == "range":
            number_range = self.resolver.lists[slot_type].range
            assert number_range is not None
            steps = int((number_range.stop - number_range.start) / number_range.step)
            number = number_range.start + self.rng.randint(0, steps) * number_range.step
            return f"{number:g}"
        if kind == "text":
            return self.rng.choice(self.free_text)
        return self.rng.choice(self._pool(slot_type))

    def _pool(self, value_type: str) -> list[str]:
        if value_type not in self.pools:
            count = self.settings.value_phrases
            other = "zh" if self.language == "en" else "en"
            foreign = round(count * self.settings.other_language_share)
            pool = self.values.sample(value_type, self.language, self.rng, count - foreign)
            pool += self.values.sample(value_type, other, self.rng, foreign)
            self.pools[value_type] = [phrase for phrase in pool if words_of(phrase)] or ["1"]
        return self.pools[value_type]


def _tagged(
    words: list[str], tags: list[str], intent: str, resolver: SlotResolver
) -> TaggedSentence:
    marks = gazetteer(words, resolver.indexes)
    return TaggedSentence(tuple(words), tuple(tuple(m) for m in marks), tuple(tags), intent)


def _from_items(
    items: tuple[str | SlotRef, ...], spec: IntentSpec, filler: _Filler, resolver: SlotResolver
) -> TaggedSentence:
    words: list[str] = []
    tags: list[str] = []
    for item in items:
        if isinstance(item, str):
            words.append(item)
            tags.append(OUTSIDE)
            continue
        phrase = words_of(filler.phrase(spec.slots[item.name]))
        words.extend(phrase)
        tags.extend(("B-" if i == 0 else "I-") + item.name for i in range(len(phrase)))
    return _tagged(words, tags, spec.name, resolver)


def _from_example(text: str, spec: IntentSpec, resolver: SlotResolver) -> TaggedSentence:
    example = parse_example(text, set(spec.slots))
    tokens = tokenize(example.text)
    tags = [OUTSIDE] * len(tokens)
    for span in example.slots:
        inside = [i for i, t in enumerate(tokens) if t.start >= span.start and t.end <= span.end]
        for position, i in enumerate(inside):
            tags[i] = ("B-" if position == 0 else "I-") + span.name
    return _tagged([t.text for t in tokens], tags, spec.name, resolver)


def build_sentences(
    intents: Sequence[IntentSpec],
    rules: Mapping[str, str],
    resolver: SlotResolver,
    values: ValueBackend,
    language: str,
    settings: SampleSettings,
    seed: int,
) -> list[TaggedSentence]:
    """Training sentences of every intent, then the out-of-domain ones (intent ``OOD``)."""
    rng = random.Random(seed)
    filler = _Filler(language, resolver, values, rng, settings)
    compiled: dict[str, Node] = {name: parse_template(text) for name, text in rules.items()}
    sentences: list[TaggedSentence] = []
    for spec in intents:
        for example in spec.examples:
            sentences.extend([_from_example(example, spec, resolver)] * settings.example_weight)
        if not spec.sentences:
            continue
        per_template = math.ceil(settings.sentences_per_intent / len(spec.sentences))
        for template in spec.sentences:
            node = resolve_rules(parse_template(template), compiled)
            expanded = expand_items(node, rng, per_template)
            # Few distinct sentences: repeat them (with new slot values) to keep classes balanced.
            for i in range(per_template):
                sentences.append(_from_items(expanded[i % len(expanded)], spec, filler, resolver))
    for line in bundled_lines(f"ood_{language}.txt"):
        words = list(words_of(line))
        sentences.append(_tagged(words, [OUTSIDE] * len(words), OOD, resolver))
    return [sentence for sentence in sentences if sentence.words]
