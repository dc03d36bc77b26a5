"""Whisper decoding on CTranslate2 (the faster-whisper models), one whole buffer per call.

Blocking and single-threaded by design: the engine calls it from one worker thread. What it
does differently from ``WhisperModel.transcribe``:

* **Shorter encoder input.** Whisper pads every input to a 30 s window; the encoder's cost grows
  faster than linearly with it. Commands last 1–5 s, so we encode a shorter window: the audio
  padded with silence to ``encoder_window_s`` (10 s), and by ``encoder_padding_s`` at least.
  The window must not be much shorter: whisper learned to end its text where the speech gives
  way to the silence that fills its 30 s window, and with only the audio plus 1 s of silence
  the decoder often does not emit end-of-text but reads the audio again from the start
  ("What time is it? What time is it? What time…", cut by the token budget into "What time is
  it? What time"). Measured on 12 Piper commands (clean and 10 dB, buffers ending 0.3 s before,
  0.2 s and 1.5 s after the speech; greedy, no budget): such loops in 18 of 72 decodes with
  audio + 1 s, 8 with + 3 s, 4 with + 5 s, 1 with a 8 s window, 0 with 10 s and with the full
  30 s (tiny.en); whisper base on Mandarin: 16 of 60 with + 1 s, 0 from + 5 s. A 10 s window
  encodes ~8× faster than 30 s (tiny.en, 125 vs 973 ms under load 5). Buffers cut inside the
  last word (the passes while the user speaks) can still loop, rarely; the echo guard below
  catches those.
* **Language routing.** The multilingual model identifies the language on the same encoder output
  it then decodes; English with probability ≥ ``english_min_probability`` goes to tiny.en (faster,
  better English), everything else, mixed sentences included, to the multilingual model.
* **Guards against runaway decoding.** No decode at all below ``silence_dbfs``; at most
  ``tokens_per_second`` × duration tokens; greedy (no temperature fallback, which multiplies
  latency); the result is dropped when whisper says "no speech" with low confidence or the text
  compresses like a loop, repeated n-gram loops are cut, and a reading of the utterance again
  from its start is dropped (``drop_echoes``).
* **Biasing.** The skills' vocabulary goes into the decoder prompt (whisper's "previous text"),
  Chinese terms for Chinese, English for English, within ``prompt_max_tokens``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ting.audio import Samples, rms_dbfs
from ting.errors import ConfigError, EngineError
from ting.models import ModelResolver
from ting.stt.incremental import Hypothesis
from ting.stt.text import (
    collapse_repeats,
    compression_ratio,
    drop_repeated_utterance,
    prompt_terms,
    to_simplified,
)

_LOGGER = logging.getLogger(__name__)
_SAMPLE_RATE = 16_000
_HOP = 160
_WINDOW_FRAMES = 3000
_MAX_DECODER_TOKENS = 448


@dataclass(frozen=True)
class WhisperSettings:
    english_model: str | None = "whisper-tiny.en"
    """Model name for English (resolver catalog); None: the multilingual model does English."""
    multilingual_model: str | None = "whisper-base"
    """Model name for Mandarin and language identification; None: English only."""
    cpu_threads: int = 2
    """CTranslate2 threads per inference."""
    compute_type: str = "int8"
    english_min_probability: float = 0.8
    """Probability of English (among Ting's languages) above which tiny.en transcribes."""
    encoder_window_s: float = 10.0
    """Seconds of encoder input at least: shorter audio is padded with silence to this length
    (shorter windows make the decoder repeat itself, see the module docstring)."""
    encoder_padding_s: float = 1.0
    """Seconds of silence after the audio in the encoder input, at least."""
    full_window: bool = False
    """Encode whisper's full 30 s window (its training condition; several times slower)."""
    beam_size: int = 1
    silence_dbfs: float = -55.0
    """Audio quieter than this (RMS, dBFS) is not decoded: empty transcript."""
    no_speech_threshold: float = 0.5
    """Drop the text when whisper's no-speech probability is above this ..."""
    logprob_threshold: float = -0.8
    """... and the mean token log-probability below this."""
    min_logprob: float = -1.5
    """Drop the text whenever the mean token log-probability is below this."""
    drop_echoes: bool = True
    """Cut text that reads the utterance again from its start ("What time is it? What time"):
    a safety net behind ``encoder_window_s``."""
    compression_ratio_threshold: float = 2.4
    """Drop the text when it compresses better than this (a loop)."""
    tokens_per_second: float = 10.0
    """Decoding budget: tokens per second of audio (Mandarin is ~1.5 tokens per character)."""
    min_tokens: int = 12
    bias_languages: tuple[str, ...] = ("en", "zh")
    """Languages whose prompt carries the vocabulary. Measured 2026-11-25 on 12 English and 10
    Mandarin synthesized commands at clean / 10 / 5 dB with the skills' own terms
    (``ting.stt.vocabulary``): WER 1.4 / 9.9 / 9.9 % → 1.4 / 2.8 / 8.5 %, CER 15.8 / 21.1 /
    28.9 % → 9.2 / 13.2 / 21.1 %; on the real clips, which contain none of those terms, no
    change (en 0 %, zh 16.7 %). (An earlier measurement, with the 1 s encoder padding, had
    Mandarin biasing double the real clips' CER, 11.9 → 23.8 %; with the 10 s window it
    does not.)"""
    prompt_max_tokens: int = 60
    """Tokens of vocabulary in the prompt."""
    chinese_prompt: str = "以下是普通话的句子。"
    """Leads every Chinese prompt; written in Simplified to steer the script."""


class WhisperDecoder:
    """Loads the models once (``load``) and decodes whole 16 kHz mono buffers (``decode``)."""

    def __init__(self, settings: WhisperSettings, resolver: ModelResolver) -> None:
        if settings.english_model is None and settings.multilingual_model is None:
            raise ConfigError("the whisper engine needs an English or a multilingual model")
        self.settings = settings
        self._resolver = resolver
        self._models: dict[str, Any] = {}
        self._prompt_cache: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", "zh") if self.settings.multilingual_model else ("en",)

    def load(self) -> None:
        for name in (self.settings.english_model, self.settings.multilingual_model):
            if name is not None:
                self._model(name)

    def _model(self, name: str) -> Any:
        model = self._models.get(name)
        if model is None:
            folder = self._resolver.resolve(name).folder
            try:
                from faster_whisper import WhisperModel
            except ImportError as error:
                raise ConfigError(
                    "speech recognition needs faster-whisper: pip install faster-whisper"
                ) from error
            started = time.perf_counter()
            try:
                model = WhisperModel(
                    str(folder),
                    device="cpu",
                    compute_type=self.settings.compute_type,
                    cpu_threads=self.settings.cpu_threads,
                    num_workers=1,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as error:
                raise EngineError(f"cannot load {name} from {folder}: {error}") from error
            _LOGGER.info("loaded %s in %.2f s", name, time.perf_counter() - started)
            self._models[name] = model
        return model

    def decode(
        self, audio: Samples, *, language: str | None = None, vocabulary: Sequence[str] = ()
    ) -> Hypothesis:
        started = time.perf_counter()
        if audio.size < _SAMPLE_RATE // 10 or rms_dbfs(audio) < self.settings.silence_dbfs:
            return Hypothesis("", language or self.languages[0], 1.0, 0.0, 1.0, 0.0, "")
        try:
            return self._decode(audio, language, vocabulary, started)
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"speech recognition failed: {error}", retryable=True) from error

    def _decode(
        self, audio: Samples, language: str | None, vocabulary: Sequence[str], started: float
    ) -> Hypothesis:
        settings = self.settings
        probability = 1.0
        encoded: Any = None
        if language is not None and language not in self.languages:
            raise ConfigError(f"the whisper engine does not speak {language!r}")
        name = settings.english_model if language == "en" else settings.multilingual_model
        if name is None:
            name = settings.multilingual_model or settings.english_model
        assert name is not None
        if language is None and settings.multilingual_model is not None:
            # Language ID needs no end-of-text, so the short window (audio + padding) does.
            name = settings.multilingual_model
            short = self._encode(self._model(name), audio, window_s=0.0)
            language, probability = self._identify(self._model(name), short)
            if (
                language == "en"
                and probability >= settings.english_min_probability
                and settings.english_model is not None
            ):
                name = settings.english_model
            elif settings.full_window or (
                settings.encoder_window_s <= settings.encoder_padding_s + audio.size / _SAMPLE_RATE
            ):
                encoded = short  # the same input the decoder gets
        language = language or "en"
        model = self._model(name)
        if encoded is None:
            encoded = self._encode(model, audio)
        multilingual = bool(model.model.is_multilingual)
        prompt = self._prompt(model, name, language if multilingual else None, vocabulary)
        budget = max(settings.min_tokens, math.ceil(settings.tokens_per_second * audio.size / 16e3))
        budget = min(budget, _MAX_DECODER_TOKENS - len(prompt))
        result = model.model.generate(
            encoded,
            [prompt],
            beam_size=settings.beam_size,
            max_length=len(prompt) + budget,  # CTranslate2 counts the prompt in
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        tokens = [
            t
            for t in result.sequences_ids[0]
            if t < model.hf_tokenizer.token_to_id("<|endoftext|>")
        ]
        length = len(tokens)
        avg_logprob = float(result.scores[0]) * length / (length + 1) if length else 0.0
        no_speech = float(result.no_speech_prob)
        text = model.hf_tokenizer.decode(tokens).strip()
        text = self._guard(text, avg_logprob, no_speech, length >= budget - 1)
        if language == "zh":
            text = to_simplified(text)
        return Hypothesis(
            text,
            language,
            probability,
            avg_logprob,
            no_speech,
            time.perf_counter() - started,
            name,
        )

    def _guard(self, text: str, avg_logprob: float, no_speech: float, hit_budget: bool) -> str:
        settings = self.settings
        if no_speech > settings.no_speech_threshold and avg_logprob < settings.logprob_threshold:
            return ""
        if avg_logprob < settings.min_logprob:
            return ""
        text = collapse_repeats(text)
        if settings.drop_echoes:
            kept = drop_repeated_utterance(text)
            if kept != text:
                _LOGGER.info("dropped a repeated reading: %r -> %r", text, kept)
            text = kept
        if compression_ratio(text) > settings.compression_ratio_threshold:
            return ""
        if hit_budget:
            _LOGGER.info("decoding stopped at its token budget: %r", text[-40:])
        return text

    def _encode(self, model: Any, audio: Samples, window_s: float | None = None) -> Any:
        import ctranslate2

        settings = self.settings
        window = settings.encoder_window_s if window_s is None else window_s
        audio = audio[: _WINDOW_FRAMES * _HOP]
        padding = max(
            int(settings.encoder_padding_s * _SAMPLE_RATE),
            int(window * _SAMPLE_RATE) - audio.size,
            _HOP,
        )
        features = model.feature_extractor(audio, padding=padding)
        frames = _WINDOW_FRAMES if settings.full_window else features.shape[-1]
        frames = min(_WINDOW_FRAMES, frames + frames % 2)
        batch = np.zeros((1, features.shape[0], frames), np.float32)
        used = min(frames, features.shape[-1])
        batch[0, :, :used] = features[:, :used]
        return model.model.encode(ctranslate2.StorageView.from_array(batch))

    def _identify(self, model: Any, encoded: Any) -> tuple[str, float]:
        ranked = model.model.detect_language(encoded)[0]
        scores = {token.strip("<|>"): float(p) for token, p in ranked}
        allowed = {code: scores.get(code, 0.0) for code in self.languages}
        total = sum(allowed.values())
        best = max(allowed, key=lambda code: allowed[code])
        return best, (allowed[best] / total if total > 0 else 0.0)

    def _prompt(
        self, model: Any, name: str, language: str | None, vocabulary: Sequence[str]
    ) -> list[int]:
        key = (name, language or "", tuple(vocabulary))
        cached = self._prompt_cache.get(key)
        if cached is not None:
            return cached
        tokenizer = model.hf_tokenizer

        def token(text: str) -> int:
            return int(tokenizer.token_to_id(text))

        chinese = language == "zh"
        head = self.settings.chinese_prompt if chinese else ""
        body = _encode_text(tokenizer, " " + head) if head else []
        head_ids = list(body)
        if (language or "en") not in self.settings.bias_languages:
            vocabulary = ()
        for term in prompt_terms(vocabulary, chinese=chinese):
            if len(body) > len(head_ids):
                separator = "，" if chinese else ", "
            else:  # the first term: after the head's own full stop, or a word's leading space
                separator = "" if head else " "
            piece = _encode_text(tokenizer, separator + term)
            if len(body) + len(piece) > self.settings.prompt_max_tokens:
                break
            body.extend(piece)
        sequence = [token("<|startofprev|>"), *body] if body else []
        sequence.append(token("<|startoftranscript|>"))
        if language is not None:
            sequence += [token(f"<|{language}|>"), token("<|transcribe|>")]
        sequence.append(token("<|notimestamps|>"))
        if len(self._prompt_cache) > 64:
            self._prompt_cache.clear()
        self._prompt_cache[key] = sequence
        return sequence


def _encode_text(tokenizer: Any, text: str) -> list[int]:
    return list(tokenizer.encode(text, add_special_tokens=False).ids)
