"""Loaders of the public NLU benchmarks in ``../shared/data/nlu`` (see its README).

Every loader returns ``Sample``s: gold tokens as the dataset has them, their slot spans, the
intent, and the text the engine reads (tokens joined with spaces for English; characters joined
as written for Chinese) with each token's character offsets in it, so predictions made on the
text map back to gold tokens for scoring.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ting.nlu.scoring import Span, spans_from_tags

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "nlu"
FEWSHOT_INTENTS = (
    "AddToPlaylist",
    "BookRestaurant",
    "GetWeather",
    "PlayMusic",
    "RateBook",
    "SearchCreativeWork",
    "SearchScreeningEvent",
)


@dataclass(frozen=True)
class Sample:
    tokens: tuple[str, ...]
    spans: tuple[Span, ...]
    intent: str
    text: str
    offsets: tuple[tuple[int, int], ...]

    def annotated(self) -> str:
        """The text with slots marked ``[words](slot)``, for ``domain_from_examples``."""
        starts = {start: (slot, end) for slot, start, end in self.spans}
        parts: list[str] = []
        cursor, i = 0, 0
        while i < len(self.tokens):
            if i in starts:
                slot, end = starts[i]
                a, b = self.offsets[i][0], self.offsets[end - 1][1]
                parts.append(_plain(self.text[cursor:a]))
                parts.append(f"[{_plain(self.text[a:b])}]({slot})")
                cursor, i = b, end
            else:
                i += 1
        parts.append(_plain(self.text[cursor:]))
        return "".join(parts)


def _plain(text: str) -> str:
    """Text without the characters of the annotation syntax (punctuation the engine drops)."""
    return text.translate({ord(c): " " for c in "[]()"})


def make_sample(tokens: Sequence[str], tags: Sequence[str], intent: str, sep: str) -> Sample:
    """A sample from gold tokens and tags; tokens are NFKC-normalized so that the engine's
    cleaning keeps every offset."""
    normalized = [unicodedata.normalize("NFKC", t) or " " for t in tokens]
    offsets: list[tuple[int, int]] = []
    text = ""
    for token in normalized:
        if text and sep:
            text += sep
        offsets.append((len(text), len(text) + len(token)))
        text += token
    return Sample(tuple(tokens), tuple(spans_from_tags(tags)), intent, text, tuple(offsets))


def available() -> bool:
    return (DATA / "snips" / "train" / "seq.in").is_file() and (DATA / "cais").is_dir()


def load_snips(split: str, limit: int | None = None) -> list[Sample]:
    """The Joint-BERT split: ``train``, ``dev`` or ``test``."""
    folder = DATA / "snips" / split
    lines = [
        (folder / name).read_text("utf-8").splitlines() for name in ("seq.in", "seq.out", "label")
    ]
    samples = []
    for words, tags, intent in zip(*lines, strict=True):
        token_list, tag_list = words.split(), tags.split()
        if len(token_list) != len(tag_list):
            raise ValueError(f"{folder}: {len(token_list)} tokens but {len(tag_list)} tags")
        samples.append(make_sample(token_list, tag_list, intent.strip(), " "))
    return samples[:limit]


def load_cais(split: str, limit: int | None = None) -> list[Sample]:
    """CAIS ``train``, ``valid`` or ``test``: one character and its BIOES tag a line."""
    stem = {"train": "ch.train", "valid": "ch.valid", "test": "ch.test"}[split]
    folder = DATA / "cais" / split
    intents = [line.strip() for line in (folder / f"{stem}.intent").read_text("utf-8").splitlines()]
    blocks: list[list[tuple[str, str]]] = [[]]
    for line in (folder / stem).read_text("utf-8").split("\n"):
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        # "字 TAG"; a line holding only a tag stands for a space character.
        char, _, tag = line.rpartition(" ")
        blocks[-1].append((char if char.strip() else " ", tag))
    blocks = [block for block in blocks if block]
    intents = [intent for intent in intents if intent]
    if len(blocks) != len(intents):
        raise ValueError(f"{folder}: {len(blocks)} sentences but {len(intents)} intents")
    samples = [
        make_sample([c for c, _ in block], [t for _, t in block], intent, "")
        for block, intent in zip(blocks, intents, strict=True)
    ]
    return samples[:limit]


def _fewshot_sample(data: dict[str, object], intent: str) -> Sample:
    tokens: list[str] = []
    tags: list[str] = []
    for chunk in data["data"]:  # type: ignore[attr-defined]
        words = str(chunk["text"]).split()
        entity = chunk.get("entity")
        tokens.extend(words)
        tags.extend(
            ("B-" if i == 0 else "I-") + entity if entity else "O" for i in range(len(words))
        )
    return make_sample(tokens, tags, intent, " ")


def _fewshot_file(intent: str, name: str) -> list[Sample]:
    path = DATA / "snips_fewshot" / intent / name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return [_fewshot_sample(item, intent) for item in json.loads(text)[intent]]


FEWSHOT_DEV_PER_INTENT = 100


def load_fewshot(
    per_intent: int, seed: int, split: str = "test"
) -> tuple[list[Sample], list[Sample]]:
    """``per_intent`` queries per intent drawn (with ``seed``) from ``train_X.json``, and the
    ``validate_X.json`` test queries; with ``split="dev"``, instead of those, 100 queries per
    intent of ``train_X_full.json`` that are in neither ``train_X.json`` nor ``validate_X.json``
    (the same ones for every seed): a stand-in to select on that never touches the test set."""
    if split not in ("test", "dev"):
        raise ValueError(f"unknown few-shot split {split!r}")
    rng = random.Random(seed)
    train: list[Sample] = []
    test: list[Sample] = []
    for intent in FEWSHOT_INTENTS:
        pool = _fewshot_file(intent, f"train_{intent}.json")
        train.extend(rng.sample(pool, min(per_intent, len(pool))))
        validate = _fewshot_file(intent, f"validate_{intent}.json")
        if split == "test":
            test.extend(validate)
            continue
        seen = {sample.text for sample in [*pool, *validate]}
        full = [s for s in _fewshot_file(intent, f"train_{intent}_full.json") if s.text not in seen]
        test.extend(random.Random(f"dev-{intent}").sample(full, FEWSHOT_DEV_PER_INTENT))
    return train, test
