"""``benchmarks/hub_load.py --quick --no-voice-part`` runs end to end and prints its table.

A real text-only hub and a real client process: 200 satellites connect, stay idle 2 s and
close (about 15 s on the 2-core development machine). The figures themselves are not checked
here, only that every satellite connected and the report came out.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("websockets")

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_hub_load_quick_prints_its_table(tmp_path: Path) -> None:
    out = tmp_path / "hub_load.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "hub_load.py"),
            "--quick",
            "--no-voice-part",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| satellites | connected |" in done.stdout
    assert "KiB / connection" in done.stdout
    idle = json.loads(out.read_text())["idle"]
    assert idle["connected"] == idle["satellites"] == 200
    assert idle["healthz_satellites"] == 200
    assert idle["still_open"] == 200
    assert idle["kib_per_connection"] > 0
