"""Training data for the statistical models: annotated examples, sampled template expansions
with their slots filled, and the bundled out-of-domain sentences (the negative class)."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from ting.nlu.domain import IntentSpec
from ting.nlu.examples import parse_example
from ting.nlu.expand import expand_items
from ting.nlu.features import ValueGazetteer, case_marks, gazetteer
from ting.nlu.grammar import Node, SlotRef, parse_template, resolve_rules
from ting.nlu.slot_values import ValueBackend
from ting.nlu.slots import SlotResolver
from ting.nlu.tagger import OUTSIDE, TaggedSentence
from ting.nlu.tokens import tokenize, words_of

__all__ = [
    "OOD",
    "SampleSettings",
    "TrainingSentences",
    "build_sentences",
    "bundled_lines",
    "learned_values",
    "marks_of",
    "multi_valued_slots",
]

OOD = "<ood>"
"""The label of out-of-domain sentences."""


@dataclass(frozen=True)
class SampleSettings:
    sentences_per_intent: int = 150
    """Template expansions sampled per intent (spread over its templates), at most."""
    total_sentences: int = 5000
    """Budget of expansions per language: a domain of many intents samples fewer per intent (at
    least ``min_sentences_per_intent``), so training stays a matter of seconds."""
    min_sentences_per_intent: int = 50
    example_weight: int = 3
    """How many times each hand-written example counts."""
    value_phrases: int = 60
    """Sample phrases drawn per value type and language."""
    other_language_share: float = 0.2
    """Share of value phrases taken from the other language (mixed sentences)."""
    recombined_per_intent: int = 200
    """For the slot tagger only: an intent without templates (examples only) and with fewer
    annotated examples than this gets new ones up to it, made by giving an example's slots the
    values of the same slots in the intent's other examples (``recombine``), so that a handful
    of examples teaches value boundaries rather than the examples' exact value-context pairs.
    Intents with templates already get this from their sampled expansions. 0 turns it off."""
    class_value_share: float = 0.5
    """In recombined examples, the share of values taken from the value backend's phrases of
    the same class (every country for a slot whose examples name "peru"), so that the tagger
    also learns names of several words ("new zealand") and more than the examples' values."""


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


_FOLDS = 5
"""Examples are split in this many folds; an example's learned-value marks come from the values
of the other folds only, so that the models see these marks as often as they will on new
sentences, where some values are known and some are not (the jackknife)."""


def marks_of(
    words: Sequence[str],
    resolver: SlotResolver,
    learned: ValueGazetteer | None,
    written: Sequence[str] = (),
) -> tuple[tuple[str, ...], ...]:
    """Marks per word: the domain's lists, the value backend's phrase classes (``W:weekday``,
    ``W:country``), the values learned from examples, and the case of the words as ``written``
    (``features.case_marks``; none when not given)."""
    marks = gazetteer(words, resolver.indexes)
    resolver.classes.mark(words, marks)
    if learned is not None:
        learned.mark(words, marks)
    if written:
        for word_marks, case in zip(marks, case_marks(written), strict=True):
            word_marks.extend(case)
    return tuple(tuple(m) for m in marks)


def _tagged(
    words: Sequence[str],
    tags: Sequence[str],
    intent: str,
    resolver: SlotResolver,
    learned: ValueGazetteer | None = None,
    written: Sequence[str] = (),
) -> TaggedSentence:
    marks = marks_of(words, resolver, learned, written)
    return TaggedSentence(tuple(words), marks, tuple(tags), intent)


def _text_values(
    words: Sequence[str], tags: Sequence[str], spec: IntentSpec, resolver: SlotResolver
) -> list[tuple[str, tuple[str, ...]]]:
    """``(slot, words)`` of the free-text slots of a tagged example."""
    values: list[tuple[str, tuple[str, ...]]] = []
    start = None
    for i, tag in enumerate([*tags, OUTSIDE]):
        if start is not None and not tag.startswith("I-"):
            slot = tags[start][2:]
            if resolver.kind(spec.slots.get(slot, "")) == "text":
                values.append((slot, tuple(words[start:i])))
            start = None
        if tag.startswith("B-"):
            start = i
    return values


def learned_values(intents: Sequence[IntentSpec], resolver: SlotResolver) -> ValueGazetteer:
    """The values of the free-text slots in the examples of ``intents``."""
    values = []
    for spec in intents:
        for example in spec.examples:
            parsed = _example(example, spec)
            values.extend(_text_values(parsed.words, parsed.tags, spec, resolver))
    return ValueGazetteer.build(values)


def _from_items(
    items: tuple[str | SlotRef, ...],
    spec: IntentSpec,
    filler: _Filler,
    resolver: SlotResolver,
    learned: ValueGazetteer,
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
    return _tagged(words, tags, spec.name, resolver, learned)


@dataclass(frozen=True)
class _Example:
    """An annotated example, tokenized."""

    spec: IntentSpec
    words: list[str]
    """Matching form (lower case)."""
    written: list[str]
    """The same tokens as written."""
    tags: list[str]
    fold: int
    """Its fold for the learned-value marks (``_FOLDS``)."""


def _example(text: str, spec: IntentSpec) -> _Example:
    example = parse_example(text, set(spec.slots))
    tokens = tokenize(example.text)
    tags = [OUTSIDE] * len(tokens)
    for span in example.slots:
        inside = [i for i, t in enumerate(tokens) if t.start >= span.start and t.end <= span.end]
        for position, i in enumerate(inside):
            tags[i] = ("B-" if position == 0 else "I-") + span.name
    words = [t.text for t in tokens]
    written = [example.text[t.start : t.end] for t in tokens]
    return _Example(spec, words, written, tags, zlib.crc32(text.encode()) % _FOLDS)


class TrainingSentences(NamedTuple):
    sentences: list[TaggedSentence]
    """For both models: examples, template expansions, out-of-domain sentences."""
    tagger_only: list[TaggedSentence]
    """Recombined examples (``SampleSettings.recombined_per_intent``), for the slot tagger."""


def build_sentences(
    intents: Sequence[IntentSpec],
    rules: Mapping[str, str],
    resolver: SlotResolver,
    values: ValueBackend,
    language: str,
    settings: SampleSettings,
    seed: int,
) -> TrainingSentences:
    """Training sentences of every intent, then the out-of-domain ones (intent ``OOD``), and
    the recombined examples for the tagger."""
    rng = random.Random(seed)
    filler = _Filler(language, resolver, values, rng, settings)
    compiled: dict[str, Node] = {name: parse_template(text) for name, text in rules.items()}
    sentences: list[TaggedSentence] = []
    parsed = [_example(example, spec) for spec in intents for example in spec.examples]
    learned = ValueGazetteer.build(
        [v for e in parsed for v in _text_values(e.words, e.tags, e.spec, resolver)]
    )
    held_out = [
        ValueGazetteer.build(
            [
                value
                for e in parsed
                if e.fold != fold
                for value in _text_values(e.words, e.tags, e.spec, resolver)
            ]
        )
        for fold in range(_FOLDS)
    ]
    for e in parsed:
        example = _tagged(e.words, e.tags, e.spec.name, resolver, held_out[e.fold], e.written)
        sentences.extend([example] * settings.example_weight)
    templated = sum(1 for spec in intents if spec.sentences)
    per_intent = min(
        settings.sentences_per_intent,
        max(settings.min_sentences_per_intent, settings.total_sentences // max(1, templated)),
    )
    for spec in intents:
        if not spec.sentences:
            continue
        per_template = math.ceil(per_intent / len(spec.sentences))
        for template in spec.sentences:
            node = resolve_rules(parse_template(template), compiled)
            expanded = expand_items(node, rng, per_template)
            # Few distinct sentences: repeat them (with new slot values) to keep classes balanced.
            for i in range(per_template):
                sentence = _from_items(expanded[i % len(expanded)], spec, filler, resolver, learned)
                sentences.append(sentence)
    for line in bundled_lines(f"ood_{language}.txt"):
        words = list(words_of(line))
        sentences.append(_tagged(words, [OUTSIDE] * len(words), OOD, resolver, learned))
    recombined = _recombined(parsed, resolver, held_out, settings, rng)
    return TrainingSentences([sentence for sentence in sentences if sentence.words], recombined)


def _slot_runs(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(slot, start, end)`` of each tagged span."""
    runs: list[tuple[str, int, int]] = []
    start = None
    for i, tag in enumerate([*tags, OUTSIDE]):
        if start is not None and not tag.startswith("I-"):
            runs.append((tags[start][2:], start, i))
            start = None
        if tag.startswith("B-"):
            start = i
    return runs


MULTI_VALUED_SHARE = 0.01
"""A slot is multi-valued when at least this share of the examples that have it have it more
than once (annotation slips below that: a tagger that splits one value in two should not yield
two values of a slot that takes one)."""


def multi_valued_slots(spec: IntentSpec) -> frozenset[str]:
    """The slots of ``spec`` that its examples annotate more than once in one sentence often
    enough (``MULTI_VALUED_SHARE``): "play [adele](artist) and [queen](artist)"."""
    having: dict[str, int] = {}
    repeated: dict[str, int] = {}
    for example in spec.examples:
        slots = [slot for slot, _, _ in _slot_runs(_example(example, spec).tags)]
        for slot in set(slots):
            having[slot] = having.get(slot, 0) + 1
            if slots.count(slot) > 1:
                repeated[slot] = repeated.get(slot, 0) + 1
    return frozenset(
        slot for slot, count in repeated.items() if count >= MULTI_VALUED_SHARE * having[slot]
    )


def _recombined(
    examples: Sequence[_Example],
    resolver: SlotResolver,
    held_out: Sequence[ValueGazetteer],
    settings: SampleSettings,
    rng: random.Random,
) -> list[TaggedSentence]:
    """New tagged sentences for the intents without templates that have fewer annotated
    examples than ``settings.recombined_per_intent``: an example with its slot values swapped
    for values the same slot has in the intent's other examples (marks as for an example of its
    fold)."""
    sentences: list[TaggedSentence] = []
    if settings.recombined_per_intent <= 0:
        return sentences
    by_class = _phrases_by_class(resolver.classes)
    by_intent: dict[str, list[_Example]] = {}
    for e in examples:
        by_intent.setdefault(e.spec.name, []).append(e)
    for own in by_intent.values():
        missing = settings.recombined_per_intent - len(own)
        slotted = [e for e in own if _slot_runs(e.tags)]
        if own[0].spec.sentences or missing <= 0 or not slotted:
            continue
        pools: dict[str, list[tuple[list[str], list[str]]]] = {}
        for e in slotted:
            for slot, start, end in _slot_runs(e.tags):
                pools.setdefault(slot, []).append((e.words[start:end], e.written[start:end]))
        classed = _class_pools(pools, resolver.classes, by_class)
        for _ in range(missing):
            e = rng.choice(slotted)
            words: list[str] = []
            written: list[str] = []
            tags: list[str] = []
            cursor = 0
            for slot, start, end in [*_slot_runs(e.tags), ("", len(e.tags), len(e.tags))]:
                words.extend(e.words[cursor:start])
                written.extend(e.written[cursor:start])
                tags.extend(e.tags[cursor:start])
                if slot:
                    value, value_written = rng.choice(pools[slot])
                    if classed.get(slot) and rng.random() < settings.class_value_share:
                        value = list(rng.choice(classed[slot]))
                        value_written = _written_like(value, value_written)
                    words.extend(value)
                    written.extend(value_written)
                    tags.extend(("B-" if i == 0 else "I-") + slot for i in range(len(value)))
                cursor = end
            sentences.append(_tagged(words, tags, e.spec.name, resolver, held_out[e.fold], written))
    return sentences


def _phrases_by_class(classes: ValueGazetteer) -> dict[str, list[tuple[str, ...]]]:
    by_class: dict[str, list[tuple[str, ...]]] = {}
    for phrase, kinds in classes.phrases.items():
        for kind in kinds:
            by_class.setdefault(kind, []).append(phrase)
    return by_class


def _class_pools(
    pools: Mapping[str, Sequence[tuple[list[str], list[str]]]],
    classes: ValueGazetteer,
    by_class: Mapping[str, list[tuple[str, ...]]],
) -> dict[str, list[tuple[str, ...]]]:
    """Per slot whose example values include a whole phrase of the value backend's classes
    ("peru", a country; "friday", a weekday): every phrase of those classes."""
    result: dict[str, list[tuple[str, ...]]] = {}
    for slot, values in pools.items():
        matched = sorted(
            {kind for words, _ in values for kind in classes.phrases.get(tuple(words), ())}
        )
        if matched:
            result[slot] = [phrase for kind in matched for phrase in by_class[kind]]
    return result


def _written_like(words: Sequence[str], example: Sequence[str]) -> list[str]:
    """``words`` written with the case of the value they replace (``Peru`` -> ``New Zealand``)."""
    if example and example[0][:1].isupper():
        return [w if w in _LOWER_IN_NAMES else w[:1].upper() + w[1:] for w in words]
    return list(words)


_LOWER_IN_NAMES = frozenset(("and", "the", "of", "de", "da", "du"))
