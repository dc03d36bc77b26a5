"""One system trained and tested on one split, in its own process (so that its peak memory is
its own): ``python nlu_systems.py SYSTEM JOB.json RESULT.json``.

JOB holds ``language``, ``train`` and ``test`` (lists of {text, annotated, intent, spans}).
RESULT gets per test sentence the predicted intent and character spans, per-utterance latencies,
training seconds, peak memory and model size. The peers' runners read the same files from their
own Python (see ``nlu_bench.py``), so this file must stay importable on Python 3.8: no ``ting``
import at module level and no newer syntax.
"""

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _latencies(parse, texts):
    for text in texts[:20]:
        parse(text)  # warm-up
    results, seconds = [], []
    for text in texts:
        started = time.perf_counter()
        results.append(parse(text))
        seconds.append(time.perf_counter() - started)
    return results, seconds


def run_ours(job, workdir):
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ting.nlu import NluEngine, NluSettings
    from ting.nlu.data import domain_from_examples
    from ting.nlu.tagger import ACCURATE_TAGGER
    from ting.nlu.tokens import prepare
    from ting.nlu.training import SampleSettings
    from ting.nlu.tuning import TuningSettings
    from ting.nlu.types import ParseContext

    language = job["language"]
    examples = {}
    for item in job["train"]:
        examples.setdefault(item["intent"], []).append(item["annotated"])
    cache = Path(workdir) / "model"
    # A closed-set benchmark: every utterance has an intent, so no confidence threshold and the
    # out-of-domain class never wins (closed_set); each annotated example counts once.
    tagger = ACCURATE_TAGGER
    if os.environ.get("TING_CRF_MAX_ITERATIONS"):
        # A labelled cheaper variant (fewer L-BFGS iterations on the large splits), for runs that
        # cannot wait for the full ACCURATE_TAGGER training on a loaded machine.
        from dataclasses import replace

        tagger = replace(tagger, max_iterations=int(os.environ["TING_CRF_MAX_ITERATIONS"]))
    settings = NluSettings(
        threshold=0.0,
        closed_set=True,
        max_tokens=128,
        sampling=SampleSettings(example_weight=1),
        tagger=tagger,
        # Set by nlu_bench.py (``--encoder-weight``): English only, 0 = lexical classifier alone.
        encoder_weight=float(os.environ.get("TING_NLU_ENCODER_WEIGHT", "0")),
        # Set by nlu_bench.py (``--context-dims``): the tagger's contextual word vectors.
        context_dimensions=int(os.environ.get("TING_NLU_CONTEXT_DIMS", "0")),
        # Set by nlu_bench.py (``--tuning-epochs``): fine-tune the encoder's top layer.
        tuning=TuningSettings(epochs=int(os.environ.get("TING_NLU_TUNING_EPOCHS", "0"))),
        # For selection runs only: the encoder layers run (NluSettings.encoder_layers).
        encoder_layers=int(os.environ.get("TING_NLU_ENCODER_LAYERS", "4")),
    )
    started = time.perf_counter()
    domain = domain_from_examples(language, examples)
    engine = NluEngine.build(domain, cache_dir=cache, settings=settings)
    train_seconds = time.perf_counter() - started
    zone = ZoneInfo("UTC")
    ctx = ParseContext(datetime(2026, 11, 25, 12, tzinfo=zone), zone)

    def parse(text):
        return engine.parse(text, ctx, languages=(language,))

    texts = [item["text"] for item in job["test"]]
    results, seconds = _latencies(parse, texts)
    predictions = []
    for text, result in zip(texts, results, strict=False):
        utterance = prepare(text, settings.max_tokens)
        spans = []
        used = set()
        for slot in [*result.slots.values(), *result.more]:
            found = _locate(utterance, slot.text, used)
            if found is not None:
                spans.append([slot.name, found[0], found[1]])
        predictions.append({"intent": result.intent, "spans": spans})
    run_ours.encoder = engine.encoder
    return predictions, seconds, train_seconds, _dir_size(cache)


def _locate(utterance, text, used):
    """Character offsets (in the cleaned text) of the tokens whose text is ``text``."""
    tokens = utterance.tokens
    for i in range(len(tokens)):
        if i in used:
            continue
        for j in range(i + 1, len(tokens) + 1):
            if utterance.span_text(i, j) == text:
                used.update(range(i, j))
                return tokens[i].start, tokens[j - 1].end
            if len(utterance.span_text(i, j)) > len(text):
                break
    return None


def run_tfidf(job, workdir):
    """The floor: TF-IDF word n-grams + linear SVM for intents, and per-token logistic
    regression over a window of words for slots (BIO, repaired to valid spans)."""
    import pickle

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    analyzer = "char_wb" if job["language"] == "zh" else "word"
    ngrams = (1, 3) if job["language"] == "zh" else (1, 2)
    started = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
    x = vectorizer.fit_transform([item["text"] for item in job["train"]])
    classifier = LinearSVC(C=1.0).fit(x, [item["intent"] for item in job["train"]])
    windows, labels = [], []
    for item in job["train"]:
        tokens = _units(item["text"], job["language"])
        tags = _bio(tokens, item["spans"])
        windows.extend(_window(tokens, i) for i in range(len(tokens)))
        labels.extend(tags)
    dict_vectorizer = DictVectorizer()
    tagger = LogisticRegression(max_iter=300, C=5.0).fit(
        dict_vectorizer.fit_transform(windows), labels
    )
    train_seconds = time.perf_counter() - started
    model = Path(workdir) / "model.pkl"
    model.write_bytes(pickle.dumps((vectorizer, classifier, dict_vectorizer, tagger)))

    def parse(text):
        intent = classifier.predict(vectorizer.transform([text]))[0]
        tokens = _units(text, job["language"])
        if not tokens:
            return intent, []
        tags = tagger.predict(
            dict_vectorizer.transform([_window(tokens, i) for i in range(len(tokens))])
        )
        return intent, _char_spans(tokens, tags)

    texts = [item["text"] for item in job["test"]]
    results, seconds = _latencies(parse, texts)
    predictions = [{"intent": str(i), "spans": s} for i, s in results]
    return predictions, seconds, train_seconds, model.stat().st_size


def _units(text, language):
    """(token, start, end): words split on spaces, or single characters for Chinese."""
    import re

    pattern = r"\S" if language == "zh" else r"\S+"
    return [(m.group().lower(), m.start(), m.end()) for m in re.finditer(pattern, text)]


def _bio(tokens, spans):
    tags = ["O"] * len(tokens)
    for slot, start, end in spans:
        inside = [i for i, t in enumerate(tokens) if t[1] >= start and t[2] <= end]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + slot
    return tags


def _window(tokens, i):
    get = lambda k: tokens[k][0] if 0 <= k < len(tokens) else "<pad>"  # noqa: E731
    word = get(i)
    return {
        "w": word,
        "p": get(i - 1),
        "n": get(i + 1),
        "pp": get(i - 2),
        "nn": get(i + 2),
        "pw": get(i - 1) + "|" + word,
        "wn": word + "|" + get(i + 1),
        "suf": word[-3:],
        "pre": word[:3],
        "digit": word.isdigit(),
    }


def _char_spans(tokens, tags):
    spans, current = [], None
    for k, tag in enumerate([*list(tags), "O"]):
        kind = tag[2:]
        if current is not None and (tag == "O" or tag.startswith("B-") or kind != current[0]):
            spans.append([current[0], tokens[current[1]][1], tokens[k - 1][2]])
            current = None
        if tag != "O" and current is None:
            current = (kind, k)
    return spans


RUNNERS = {"ting": run_ours, "tfidf": run_tfidf}
"""The peers' runners are in ``nlu_peers.py``."""


def main():
    system, job_path, result_path = sys.argv[1:4]
    job = json.loads(Path(job_path).read_text("utf-8"))
    with tempfile.TemporaryDirectory() as workdir:
        if system in RUNNERS:
            run = RUNNERS[system]
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import nlu_peers

            run = nlu_peers.RUNNERS[system]
        predictions, seconds, train_seconds, size = run(job, workdir)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    Path(result_path).write_text(
        json.dumps(
            {
                "predictions": predictions,
                "latencies": seconds,
                "train_seconds": train_seconds,
                "peak_bytes": peak,
                "model_bytes": size,
                "pid": os.getpid(),
                "encoder": getattr(run, "encoder", None),
            }
        )
    )


if __name__ == "__main__":
    main()
