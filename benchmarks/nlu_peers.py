"""Open NLU engines run beside Ting's, each in its own virtual environment under ``.bench/``.

``ensure(system)`` creates the environment on first use and returns its Python; the runners
(``RUNNERS``) are called by ``nlu_systems.py`` inside that Python, so they must stay valid
Python 3.8 and import their engine lazily.

- ``tfidf``: the floor, scikit-learn on Python 3.11.
- ``snips-nlu`` 0.20.2 on Python 3.8. Its English resources (Brown clusters, stems, stop words,
  noise words) download from GitHub (``snips-nlu download en``), which is not reachable here and
  has no PyPI package, so it runs with an empty resource package and a configuration without
  the features that need them (documented in ``docs/benchmarks.md``).
- ``rasa-diet``: Rasa 3.6 (``DIETClassifier``) on Python 3.10.
"""

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
PYENV = Path.home() / ".pyenv" / "versions"
ENVS = {
    "tfidf": ("floor", "3.11.7", ["scikit-learn==1.6.1"]),
    "snips-nlu": ("snips-nlu", "3.8.18", ["snips-nlu==0.20.2", "numpy<1.20", "scipy<1.6"]),
    "rasa-diet": ("rasa", "3.10.13", ["rasa==3.6.21"]),
}


def ensure(system):
    """The Python of ``system``'s environment, created (pip from PyPI) when missing."""
    name, version, packages = ENVS[system]
    env = BENCH / name
    python = env / "bin" / "python"
    marker = env / ".installed"
    if not marker.is_file():
        subprocess.run(
            [str(PYENV / version / "bin" / "python"), "-m", "venv", str(env)], check=True
        )
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
        marker.write_text(" ".join(packages))
    return str(python)


def _dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _latencies(parse, texts):
    for text in texts[:20]:
        parse(text)
    results, seconds = [], []
    for text in texts:
        started = time.perf_counter()
        results.append(parse(text))
        seconds.append(time.perf_counter() - started)
    return results, seconds


def _chunks(item):
    """The text as snips-nlu chunks: plain text and slot spans."""
    text, cursor, chunks = item["text"], 0, []
    for slot, start, end in sorted(item["spans"], key=lambda s: s[1]):
        if start > cursor:
            chunks.append({"text": text[cursor:start]})
        chunks.append({"text": text[start:end], "entity": slot, "slot_name": slot})
        cursor = end
    if cursor < len(text):
        chunks.append({"text": text[cursor:]})
    return chunks


def _empty_resources(language):
    """An empty snips-nlu resource package for ``language`` (see the module's docstring)."""
    import snips_nlu

    folder = Path(snips_nlu.__file__).parent / "data" / language
    folder.mkdir(parents=True, exist_ok=True)
    metadata = {
        "name": "resources_" + language,
        "language": language,
        "version": "0.0.0",
        "gazetteers": [],
        "word_clusters": [],
        "stems": None,
        "stop_words": None,
        "noise": "noise",
    }
    (folder / "metadata.json").write_text(json.dumps(metadata))
    # The noise words make its None-intent examples; with noise_factor 0 none are made, but the
    # file must exist: Ting's own out-of-domain sentences stand in for it.
    ood = ROOT / "ting" / "nlu" / "resources" / f"ood_{language}.txt"
    lines = [line for line in ood.read_text("utf-8").splitlines() if not line.startswith("#")]
    (folder / "noise.txt").write_text(" ".join(lines), encoding="utf-8")


def _snips_config(language):
    from snips_nlu.default_configs import DEFAULT_CONFIGS

    config = json.loads(json.dumps(DEFAULT_CONFIGS[language]))
    for parser in config["intent_parsers_configs"]:
        if parser["unit_name"] == "lookup_intent_parser":
            parser["ignore_stop_words"] = False
            continue
        filler = parser["slot_filler_config"]
        features = []
        for feature in filler["feature_factory_configs"]:
            if feature["factory_name"] == "word_cluster":
                continue  # needs the Brown clusters
            args = feature["args"]
            if "use_stemming" in args:
                args["use_stemming"] = False
            if "common_words_gazetteer_name" in args:
                args["common_words_gazetteer_name"] = None
            features.append(feature)
        filler["feature_factory_configs"] = features
        # Capitalization augmentation title-cases the words that are not stop words, which it
        # needs but does not declare as a required resource: it fails without them.
        filler["data_augmentation_config"]["capitalization_ratio"] = 0
        classifier = parser["intent_classifier_config"]
        classifier["data_augmentation_config"]["noise_factor"] = 0  # needs the noise words
        featurizer = classifier["featurizer_config"]
        featurizer["tfidf_vectorizer_config"]["use_stemming"] = False
        featurizer["tfidf_vectorizer_config"]["word_clusters_name"] = None
        featurizer["cooccurrence_vectorizer_config"]["filter_stop_words"] = False
    return config


def run_snips(job, workdir):
    from snips_nlu import SnipsNLUEngine
    from snips_nlu.common.utils import json_string  # noqa: F401  (import check)

    language = job["language"]
    _empty_resources(language)
    intents, entities = {}, {}
    for item in job["train"]:
        intents.setdefault(item["intent"], {"utterances": []})["utterances"].append(
            {"data": _chunks(item)}
        )
        for slot, _, _ in item["spans"]:
            entities[slot] = {
                "data": [],
                "use_synonyms": True,
                "automatically_extensible": True,
                "matching_strictness": 1.0,
            }
    dataset = {"language": language, "intents": intents, "entities": entities}
    started = time.perf_counter()
    engine = SnipsNLUEngine(config=_snips_config(language), random_state=0).fit(dataset)
    train_seconds = time.perf_counter() - started
    model = Path(workdir) / "snips_model"
    engine.persist(model)

    def parse(text):
        return engine.parse(text)

    texts = [item["text"] for item in job["test"]]
    results, seconds = _latencies(parse, texts)
    predictions = []
    for result in results:
        intent = (result.get("intent") or {}).get("intentName")
        spans = [[s["slotName"], s["range"]["start"], s["range"]["end"]] for s in result["slots"]]
        predictions.append({"intent": intent, "spans": spans})
    return predictions, seconds, train_seconds, _dir_size(model)


def run_rasa(job, workdir):
    """Rasa's DIET (intents and entities jointly), default pipeline minus pretrained parts."""
    import asyncio

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no network here
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # its debug log per parse inflates latency
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    work = Path(workdir)
    lines = ['version: "3.1"', "nlu:"]
    by_intent = {}
    for item in job["train"]:
        text, cursor, parts = item["text"], 0, []
        for slot, start, end in sorted(item["spans"], key=lambda s: s[1]):
            parts.append(text[cursor:start])
            parts.append("[" + text[start:end] + "](" + slot + ")")
            cursor = end
        parts.append(text[cursor:])
        by_intent.setdefault(item["intent"], []).append("".join(parts).replace("\n", " "))
    for intent, examples in by_intent.items():
        lines.append("- intent: " + intent)
        lines.append("  examples: |")
        lines.extend("    - " + example for example in examples)
    (work / "nlu.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tokenizer = "JiebaTokenizer" if job["language"] == "zh" else "WhitespaceTokenizer"
    epochs = int(os.environ.get("RASA_DIET_EPOCHS", "100"))
    config = {
        "recipe": "default.v1",
        "language": job["language"],
        "pipeline": [
            {"name": tokenizer},
            {"name": "RegexFeaturizer"},
            {"name": "LexicalSyntacticFeaturizer"},
            {"name": "CountVectorsFeaturizer"},
            {
                "name": "CountVectorsFeaturizer",
                "analyzer": "char_wb",
                "min_ngram": 1,
                "max_ngram": 4,
            },
            {"name": "DIETClassifier", "epochs": epochs, "random_seed": 0},
        ],
    }
    (work / "config.yml").write_text(json.dumps(config), encoding="utf-8")
    started = time.perf_counter()
    model = train_nlu(str(work / "config.yml"), str(work / "nlu.yml"), str(work / "models"))
    train_seconds = time.perf_counter() - started
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()

    def parse(text):
        return loop.run_until_complete(agent.parse_message(text))

    texts = [item["text"] for item in job["test"]]
    results, seconds = _latencies(parse, texts)
    predictions = []
    for result in results:
        intent = (result.get("intent") or {}).get("name")
        spans = [[e["entity"], e["start"], e["end"]] for e in result.get("entities", [])]
        predictions.append({"intent": intent, "spans": spans})
    return predictions, seconds, train_seconds, Path(model).stat().st_size


RUNNERS = {"snips-nlu": run_snips, "rasa-diet": run_rasa}
