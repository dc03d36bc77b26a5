"""The satellite stays light: importing it (and its CLI and runner) loads none of the hub's
models or its NLU."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "faster_whisper",
    "ctranslate2",
    "piper",
    "kokoro",
    "misaki",
    "onnxruntime",
    "torch",
    "ting.nlu",
    "ting.assistant",
    "ting.tts",
    "ting.pipeline",
    "ting.skills",
    "ting.hub",
)


def test_importing_the_satellite_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, json\n"
        "import ting.satellite, ting.satellite.cli, ting.satellite.runner\n"
        "import ting.satellite.pairing, ting.satellite.connection\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(result.stdout)
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []
    assert "websockets" in loaded and "ting.protocol" in loaded
