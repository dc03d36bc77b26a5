"""One language's share of the engine: its slot resolver, templates and trained models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ting.nlu.cache import TrainedLanguage
from ting.nlu.context import WordProjection
from ting.nlu.domain import IntentSpec
from ting.nlu.encoder import Reading, SentenceEncoder
from ting.nlu.features import sentence_features
from ting.nlu.linear import (
    DenseSettings,
    DenseSoftmax,
    Rows,
    SoftmaxModel,
    TrainSettings,
    hash_features,
)
from ting.nlu.matcher import TemplateMatch, TemplateMatcher
from ting.nlu.slots import SlotResolver
from ting.nlu.tagger import CrfSettings, SlotTagger, TaggedSentence
from ting.nlu.tokens import Utterance, join_words
from ting.nlu.training import OOD, learned_values, marks_of, multi_valued_slots
from ting.nlu.tuning import TunedLayers, TuningSettings
from ting.nlu.types import ParseContext, SlotValue

__all__ = ["Classified", "LanguageEngine", "train_language"]

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class Classified:
    """Intent probabilities for one utterance, best first, out-of-domain included."""

    ranking: list[tuple[str, float]]

    def best_intent(self) -> tuple[str, float]:
        return self.ranking[0] if self.ranking else (OOD, 1.0)


def train_language(
    sentences: Sequence[TaggedSentence],
    classifier_settings: TrainSettings,
    tagger_settings: CrfSettings,
    seed: int,
    encoder: SentenceEncoder | None = None,
    dense_settings: DenseSettings | None = None,
    tagger_only: Sequence[TaggedSentence] = (),
    context_dimensions: int = 0,
    context_layers: int = 3,
    tuning: TuningSettings | None = None,
) -> TrainedLanguage:
    """The intent classifier, the slot tagger (also trained on ``tagger_only``) and, with
    ``encoder``, a second intent classifier over the sentences' embeddings (the encoder's top
    layers fine-tuned when ``tuning`` has epochs) and, with ``context_dimensions``, the words'
    contextual vectors for the tagger."""
    classes = sorted({s.intent for s in sentences} | {OOD})
    index = {name: i for i, name in enumerate(classes)}
    rows = Rows.counted([hash_features(sentence_features(s.words, s.marks)) for s in sentences])
    labels = np.array([index[s.intent] for s in sentences], np.int64)
    classifier = SoftmaxModel.train(rows, labels, len(classes), classifier_settings, seed)
    embedding = tuned = None
    texts = [join_words(s.words) for s in sentences] if encoder is not None else []
    if encoder is not None and tuning is not None and tuning.epochs > 0:
        tuned = TunedLayers.train(encoder, texts, labels, len(classes), encoder.depth, tuning, seed)
    elif encoder is not None:
        distinct = list(dict.fromkeys(texts))
        vectors = encoder.encode(distinct)
        position = {text: i for i, text in enumerate(distinct)}
        embedding = DenseSoftmax.train(
            vectors[[position[text] for text in texts]],
            labels,
            len(classes),
            dense_settings or DenseSettings(),
        )
    in_domain = [s for s in [*sentences, *tagger_only] if s.intent != OOD]
    projection = None
    if encoder is not None and context_dimensions > 0 and in_domain:
        phrasings = list(dict.fromkeys(s.words for s in in_domain))
        raw = encoder.word_vectors(phrasings, context_layers)
        projection = WordProjection.fit(raw, context_dimensions, seed=seed)
        by_words = {words: projection.apply(v) for words, v in zip(phrasings, raw, strict=True)}
        in_domain = [replace(s, vectors=by_words[s.words]) for s in in_domain]
    tagger = SlotTagger.train(in_domain, tagger_settings, seed)
    return TrainedLanguage(classes, classifier, tagger, embedding, projection, tuned)


class LanguageEngine:
    def __init__(
        self,
        language: str,
        intents: Sequence[IntentSpec],
        resolver: SlotResolver,
        matcher: TemplateMatcher,
        trained: TrainedLanguage,
        encoder: SentenceEncoder | None = None,
        encoder_weight: float = 0.0,
        encoder_below: float = 1.0,
        context_layers: int = 3,
    ) -> None:
        self.language = language
        self.intents = {spec.name: spec for spec in intents}
        self.resolver = resolver
        self.matcher = matcher
        self.trained = trained
        self.learned = learned_values(intents, resolver)
        self.multi_valued = {spec.name: multi_valued_slots(spec) for spec in intents}
        has_model = trained.embedding is not None or trained.tuned is not None
        use = encoder is not None and has_model and encoder_weight > 0
        self._encoder = encoder
        self._projection = trained.projection if encoder is not None else None
        self._context_layers = context_layers
        self._reading: tuple[tuple[str, ...], Reading] | None = None
        self._encoder_weight = encoder_weight if use else 0.0
        self._encoder_below = encoder_below

    def match(
        self, utterance: Utterance, ctx: ParseContext, active_context: str | None
    ) -> list[TemplateMatch]:
        return self.matcher.match(utterance, ctx, active_context)

    def marks(self, utterance: Utterance) -> tuple[tuple[str, ...], ...]:
        written = [utterance.text[token.start : token.end] for token in utterance.tokens]
        return marks_of(utterance.words, self.resolver, self.learned, written)

    def classify(self, utterance: Utterance, active_context: str | None) -> Classified:
        """Intent probabilities; intents whose context is not active are left out."""
        features = sentence_features(utterance.words, self.marks(utterance))
        probabilities = self.trained.classifier.probabilities(
            Rows.counted([hash_features(features)])
        )[0]
        if self._encoder_weight > 0 and self._unsure(probabilities):
            weight = self._encoder_weight
            probabilities = (1.0 - weight) * probabilities + weight * self._encoded(utterance.words)
        allowed = [
            (name, float(p))
            for name, p in zip(self.trained.classes, probabilities, strict=True)
            if name == OOD
            or (name in self.intents and self.intents[name].allowed_in(active_context))
        ]
        total = sum(p for _, p in allowed) or 1.0
        return Classified(sorted(((n, p / total) for n, p in allowed), key=lambda x: -x[1]))

    def _encoded(self, words: tuple[str, ...]) -> Floats:
        """Intent probabilities from the encoder: its tuned top layers, or the logistic
        regression over its embedding."""
        reading = self._read(words)
        tuned = self.trained.tuned
        if tuned is not None:
            probabilities: Floats = tuned.probabilities(*reading.states(tuned.start))[0]
        else:
            assert self.trained.embedding is not None
            vector = reading.embedding()[None, :]
            probabilities = self.trained.embedding.probabilities(vector)[0]
        return probabilities

    def _read(self, words: tuple[str, ...]) -> Reading:
        """The encoder's reading of the utterance; the last one is kept, since ``classify``
        and ``slots`` both ask (one pass: the word vectors' layer, then on to the last)."""
        last = self._reading
        if last is None or last[0] != words:
            assert self._encoder is not None
            last = (words, self._encoder.read(words))
            self._reading = last
        return last[1]

    def _unsure(self, probabilities: NDArray[np.float32]) -> bool:
        """Whether the best in-domain intent's share of the in-domain probability is below
        ``encoder_below`` (the out-of-domain class left out, as with a closed label set)."""
        in_domain = np.array([name != OOD for name in self.trained.classes])
        mass = float(probabilities[in_domain].sum())
        return mass <= 0 or float(probabilities[in_domain].max()) / mass < self._encoder_below

    def slots(
        self, utterance: Utterance, intent: str, ctx: ParseContext
    ) -> tuple[dict[str, SlotValue], tuple[SlotValue, ...]]:
        """Tag ``intent``'s slots: each slot's most confident value, and the further values of
        multi-valued slots tagged more than once (in utterance order; ``multi_valued_slots``).
        Spans whose value does not parse are dropped."""
        spec = self.intents[intent]
        marks = self.marks(utterance)
        vectors = None
        if self._projection is not None:
            words = self._read(utterance.words).word_vectors(self._context_layers)
            vectors = self._projection.apply(words)
        spans = self.trained.tagger.tag(
            utterance.words, marks, intent, frozenset(spec.slots), vectors
        )
        filled: dict[str, SlotValue] = {}
        more: list[tuple[int, SlotValue]] = []
        used: set[int] = set()
        for span in sorted(spans, key=lambda s: -s.confidence):
            slot_type = spec.slots[span.slot]
            value = self.resolver.read_span(slot_type, utterance, span.start, span.end, ctx)
            if value is None:
                continue
            found = SlotValue(
                span.slot, slot_type, value, utterance.span_text(span.start, span.end)
            )
            if span.slot in filled:
                if span.slot not in self.multi_valued[intent]:
                    continue
                more.append((span.start, found))
            else:
                filled[span.slot] = found
            used.update(range(span.start, span.end))
        self._fill_from_lists(utterance, spec, filled, used)
        return filled, tuple(value for _, value in sorted(more, key=lambda item: item[0]))

    def _fill_from_lists(
        self, utterance: Utterance, spec: IntentSpec, filled: dict[str, SlotValue], used: set[int]
    ) -> None:
        """An unfilled list slot takes the one synonym of its list that the utterance holds."""
        words = utterance.words
        for slot, slot_type in spec.slots.items():
            if slot in filled or self.resolver.kind(slot_type) != "list":
                continue
            found = [
                (start, end, value)
                for start in range(len(words))
                if start not in used
                for end, value in self.resolver.list_ends(slot_type, words, start)[:1]
                if not used.intersection(range(start, end))
            ]
            if len(found) == 1:
                start, end, value = found[0]
                filled[slot] = SlotValue(slot, slot_type, value, utterance.span_text(start, end))
                used.update(range(start, end))
