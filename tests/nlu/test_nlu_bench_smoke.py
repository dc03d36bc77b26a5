"""The NLU benchmark in small: its scorer on hand-made cases, and a few hundred SNIPS and CAIS
utterances end to end through the engine (the full runs: ``benchmarks/nlu_bench.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ting.nlu.scoring import score, spans_from_tags

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import nlu_data  # noqa: E402


def test_bio_and_bioes_tags_give_the_same_spans() -> None:
    bio = ["O", "B-artist", "I-artist", "O", "B-album", "B-service", "I-service"]
    bioes = ["O", "B-artist", "E-artist", "O", "S-album", "B-service", "E-service"]
    expected = [("artist", 1, 3), ("album", 4, 5), ("service", 5, 7)]
    assert spans_from_tags(bio) == expected
    assert spans_from_tags(bioes) == expected


def test_stray_inside_tags_and_type_changes_split_spans_as_conlleval_does() -> None:
    assert spans_from_tags(["I-city", "I-city", "I-state", "O", "E-city"]) == [
        ("city", 0, 2),
        ("state", 2, 3),
        ("city", 4, 5),
    ]


def test_span_f1_needs_exact_boundaries_and_type() -> None:
    gold = [("Play", [("artist", 1, 3), ("service", 4, 5)]), ("Rate", [("rating", 0, 1)])]
    predicted = [
        ("Play", [("artist", 1, 2), ("service", 4, 5)]),  # artist one token short: wrong
        ("Play", [("rating", 0, 1)]),  # right span, wrong intent
    ]
    scores = score(gold, predicted)
    assert scores.slot_precision == pytest.approx(2 / 3)
    assert scores.slot_recall == pytest.approx(2 / 3)
    assert scores.slot_f1 == pytest.approx(2 / 3)
    assert scores.intent_accuracy == 0.5
    assert scores.exact_match == 0.0
    perfect = score(gold, [("Play", [("service", 4, 5), ("artist", 1, 3)]), gold[1]])
    assert (perfect.slot_f1, perfect.exact_match) == (1.0, 1.0)
    assert score(gold, [("Play", [("service", 4, 5)]), ("Rate", [])]).slot_precision == 1.0


def test_annotated_text_keeps_offsets() -> None:
    sample = nlu_data.make_sample(
        ["play", "the", "beatles", "now"], ["O", "B-a", "I-a", "O"], "P", " "
    )
    assert sample.annotated() == "play [the beatles](a) now"
    chinese = nlu_data.make_sample(
        list("我要听tf的歌"), ["O", "O", "O", "B-s", "E-s", "O", "O", "O"], "P", ""
    )
    assert chinese.annotated() == "我要听[tf](s)的歌"
    assert chinese.offsets[3] == (3, 4)


needs_data = pytest.mark.skipif(
    not nlu_data.available(), reason="../shared/data/nlu (SNIPS, CAIS) is not beside the project"
)


@needs_data
@pytest.mark.parametrize(
    ("bench", "language", "floor"),
    [("snips", "en", (0.8, 0.6)), ("cais", "zh", (0.6, 0.5))],
)
def test_small_benchmark_runs_end_to_end(
    bench: str, language: str, floor: tuple[float, float]
) -> None:
    import nlu_bench

    load = nlu_data.load_snips if bench == "snips" else nlu_data.load_cais
    train = load("train", 300)
    test = load("dev" if bench == "snips" else "valid", 100)
    row = nlu_bench.run_system("ting", language, train, test)
    assert "error" not in row, row.get("error")
    scores = row["scores"]
    assert isinstance(scores, dict)
    assert scores["sentences"] == 100
    assert scores["intent_accuracy"] >= floor[0]
    assert scores["slot_f1"] >= floor[1]
    assert 0 < float(row["latency_median_ms"]) <= float(row["latency_p95_ms"])  # type: ignore[arg-type]


def test_vendor_style_slot_f1_is_a_macro_mean_per_intent() -> None:
    import nlu_bench

    play = nlu_data.make_sample(["play", "abba", "now"], ["O", "B-artist", "O"], "Play", " ")
    rate = nlu_data.make_sample(["rate", "it", "five"], ["O", "B-object", "B-rating"], "Rate", " ")
    # Play: artist right (1.0). Rate: object missed (0.0), rating right (1.0) -> 0.5.
    predicted = [[("artist", 1, 2)], [("rating", 2, 3)]]
    assert nlu_bench.vendor_slot_f1([play, rate], predicted) == pytest.approx(0.75)


@pytest.mark.skipif(
    not (nlu_data.DATA / "snips_fewshot").is_dir(), reason="snips_fewshot data is absent"
)
def test_vendor_metric_files_give_the_published_summary() -> None:
    import nlu_vendor_metrics

    assert nlu_vendor_metrics.vendor_slot_f1("Snips", "70") == pytest.approx(0.768, abs=5e-4)
    assert nlu_vendor_metrics.vendor_slot_f1("Alexa", "70") == pytest.approx(0.546, abs=5e-4)
    assert nlu_vendor_metrics.vendor_slot_f1("Alexa", "10") is None


@pytest.mark.skipif(
    not (nlu_data.DATA / "snips_fewshot").is_dir(), reason="snips_fewshot data is absent"
)
def test_fewshot_dev_split_never_holds_test_or_training_queries() -> None:
    train, test = nlu_data.load_fewshot(10, 0)
    dev_train, dev = nlu_data.load_fewshot(10, 0, "dev")
    assert dev_train == train and len(train) == 70
    assert len(dev) == len(test) == 700
    pools = {
        sample.text
        for intent in nlu_data.FEWSHOT_INTENTS
        for sample in nlu_data._fewshot_file(intent, f"train_{intent}.json")
    }
    assert not {s.text for s in dev} & ({s.text for s in test} | pools)
    assert [s.text for s in nlu_data.load_fewshot(20, 1, "dev")[1]] == [s.text for s in dev]
    with pytest.raises(ValueError, match="split"):
        nlu_data.load_fewshot(10, 0, "validate")
