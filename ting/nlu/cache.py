"""Trained models on disk: one ``.npz`` of arrays and one ``.json`` of names per build key.

No pickle: arrays are loaded with ``allow_pickle=False`` and everything else is plain JSON.
Files are written to a temporary name and renamed, so a crash never leaves half a model.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ting.errors import NluError
from ting.nlu.context import WordProjection
from ting.nlu.linear import DenseSoftmax, SoftmaxModel
from ting.nlu.tagger import CrfWeights, SlotTagger
from ting.nlu.transformer import LayerWeights
from ting.nlu.tuning import TunedLayers

__all__ = ["TrainedLanguage", "load_models", "save_models"]

_LOG = logging.getLogger(__name__)
_CRF_PARTS = ("vocabulary", "indptr", "columns", "weights", "transitions", "dense")


@dataclass(frozen=True)
class TrainedLanguage:
    classes: list[str]
    classifier: SoftmaxModel
    tagger: SlotTagger
    embedding: DenseSoftmax | None = None
    """The intent classifier over sentence-encoder embeddings (``encoder``), when used."""
    projection: WordProjection | None = None
    """How the tagger's contextual word vectors are projected (``context``), when used."""
    tuned: TunedLayers | None = None
    """The encoder's fine-tuned top layers and intent head (``tuning``), when used."""


def _paths(cache_dir: Path, key: str) -> tuple[Path, Path]:
    return cache_dir / f"nlu-{key[:24]}.npz", cache_dir / f"nlu-{key[:24]}.json"


def save_models(cache_dir: Path, key: str, models: dict[str, TrainedLanguage]) -> None:
    arrays_path, meta_path = _paths(cache_dir, key)
    arrays: dict[str, Any] = {}
    meta: dict[str, Any] = {"key": key, "languages": {}}
    for language, trained in models.items():
        arrays[f"{language}.classifier.vocabulary"] = trained.classifier.vocabulary
        arrays[f"{language}.classifier.weights"] = trained.classifier.weights
        for part in _CRF_PARTS:
            arrays[f"{language}.tagger.{part}"] = getattr(trained.tagger.crf, part)
        if trained.embedding is not None:
            arrays[f"{language}.embedding.weights"] = trained.embedding.weights
        if trained.projection is not None:
            arrays[f"{language}.context.mean"] = trained.projection.mean
            arrays[f"{language}.context.matrix"] = trained.projection.matrix
        meta["languages"][language] = {"classes": trained.classes, "labels": trained.tagger.labels}
        if trained.tuned is not None:
            tuned = trained.tuned
            for i, layer in enumerate(tuned.layers):
                for name, array in zip(LayerWeights._fields, layer, strict=True):
                    arrays[f"{language}.tuned.{i}.{name}"] = array
            arrays[f"{language}.tuned.head"] = tuned.head
            meta["languages"][language]["tuned"] = {
                "start": tuned.start,
                "layers": len(tuned.layers),
                "scale": tuned.scale,
                "heads": tuned.heads,
            }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(arrays_path, lambda stream: np.savez(stream, **arrays))
        _write_atomic(meta_path, lambda stream: stream.write(json.dumps(meta).encode()))
    except OSError as error:
        _LOG.warning("cannot write the NLU cache in %s: %s", cache_dir, error)


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def load_models(cache_dir: Path, key: str) -> dict[str, TrainedLanguage] | None:
    """The models saved under ``key``, or None when there are none (or they are unreadable)."""
    arrays_path, meta_path = _paths(cache_dir, key)
    if not arrays_path.is_file() or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("key") != key:
            return None
        with np.load(arrays_path, allow_pickle=False) as arrays:
            return {
                language: _language(language, names, arrays)
                for language, names in meta["languages"].items()
            }
    except (OSError, ValueError, KeyError, TypeError, NluError) as error:
        _LOG.warning("ignoring an unreadable NLU cache %s: %s", arrays_path, error)
        return None


def _language(language: str, names: dict[str, Any], arrays: Any) -> TrainedLanguage:
    classifier = SoftmaxModel(
        arrays[f"{language}.classifier.vocabulary"], arrays[f"{language}.classifier.weights"]
    )
    crf = CrfWeights(*(arrays[f"{language}.tagger.{part}"] for part in _CRF_PARTS))
    classes, labels = list(names["classes"]), list(names["labels"])
    if classifier.n_classes != len(classes) or crf.transitions.shape != (len(labels), len(labels)):
        raise NluError("the cached model does not fit its names")
    embedding = None
    if f"{language}.embedding.weights" in arrays:
        embedding = DenseSoftmax(arrays[f"{language}.embedding.weights"])
        if embedding.weights.shape[1] != len(classes):
            raise NluError("the cached embedding classifier does not fit its names")
    projection = None
    if f"{language}.context.matrix" in arrays:
        projection = WordProjection(
            arrays[f"{language}.context.mean"], arrays[f"{language}.context.matrix"]
        )
        if projection.matrix.shape[1] != len(crf.dense):
            raise NluError("the cached context projection does not fit the tagger")
    tuned = None
    if "tuned" in names:
        described = names["tuned"]
        layers = [
            LayerWeights(*(arrays[f"{language}.tuned.{i}.{n}"] for n in LayerWeights._fields))
            for i in range(int(described["layers"]))
        ]
        head = arrays[f"{language}.tuned.head"]
        tuned = TunedLayers(
            int(described["start"]),
            layers,
            head,
            float(described["scale"]),
            int(described["heads"]),
        )
        if head.shape[1] != len(classes):
            raise NluError("the cached tuned encoder does not fit its names")
    return TrainedLanguage(
        classes, classifier, SlotTagger(labels, crf), embedding, projection, tuned
    )
