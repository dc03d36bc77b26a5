"""The ``ting`` command as users run it: real processes, a real database, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

TIMERS = {"pasta": 2, "egg": 4, "tea": 7, "rice": 9}


MODELS = Path(tempfile.mkdtemp(prefix="ting-cli-models-"))
"""Trained NLU models shared by every test here, so that each one does not train them again."""


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TING_DATA_DIR": str(data_dir),
        "TING_TIMEZONE": "UTC",
        "TING_MODELS_DIR": str(MODELS),
        "PYTHONUNBUFFERED": "1",
    }


def ting(
    data_dir: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ting", *args],
        input=stdin,
        capture_output=True,
        env=_env(data_dir),
        timeout=120,
        check=False,
    )


def _chat(data_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ting", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(data_dir),
    )


def _read_until(proc: subprocess.Popen[bytes], ring: str, deadline: float) -> list[str]:
    """Lines of output until one rings for ``ring`` (a timer's name) or the deadline passes."""
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    lines: list[str] = []
    buffer = b""
    while time.monotonic() < deadline:
        chunk = proc.stdout.read()
        if chunk:
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines.extend(line.decode() for line in complete)
            if any(line.startswith("⏰") and ring in line for line in lines):
                return lines
        time.sleep(0.05)
    return lines


def test_ask_json_reports_intent_slots_reply_and_actions(tmp_path: Path) -> None:
    done = ting(tmp_path, "ask", "--json", "set a timer for 5 minutes")
    assert done.returncode == 0, done.stderr.decode()
    turn = json.loads(done.stdout)
    assert turn["intent"] == "TimerStart"
    assert turn["slots"]["duration"] == 300
    assert turn["language"] == "en"
    assert [a["type"] for a in turn["actions"]] == ["timer.start"]
    assert "5 minutes" in turn["reply"]


def test_ask_answers_in_the_language_it_was_asked_in(tmp_path: Path) -> None:
    done = ting(tmp_path, "ask", "--json", "设一个五分钟的计时器")
    turn = json.loads(done.stdout)
    assert (turn["intent"], turn["language"], turn["slots"]["duration"]) == (
        "TimerStart",
        "zh",
        300,
    )
    assert "5分钟" in turn["reply"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("ask", ""), None, "empty"),
        (("ask", "   "), None, "empty"),
        (("ask", "-"), b"\xff\xfe set a timer", "UTF-8"),
        (("ask", "-"), b"", "empty"),
    ],
)
def test_bad_cli_input_is_a_clear_error(
    tmp_path: Path, args: tuple[str, ...], stdin: bytes | None, message: str
) -> None:
    done = ting(tmp_path, *args, stdin=stdin)
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("x" * 100_000, "too long"),
        ("quelle heure est-il", "French"),
        ("今何時ですか", "Japanese"),
        ("😀😀😀", "didn't"),
        ("\x00\x07set a timer\x1b for 5 minutes", "5 minutes"),
    ],
)
def test_odd_input_gets_a_short_reply(tmp_path: Path, text: str, fact: str) -> None:
    done = ting(tmp_path, "ask", "-", stdin=text.encode())
    assert done.returncode == 0, done.stderr.decode()
    assert fact in done.stdout.decode()
    assert b"Traceback" not in done.stderr


def test_chat_keeps_context_and_reads_invalid_utf8_without_dying(tmp_path: Path) -> None:
    script = b"set a timer\n" + b"\xff\xfe\n" + b"ten minutes\nwhat did you say\n"
    done = ting(tmp_path, "chat", stdin=script)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "UTF-8" in done.stderr.decode()
    replies = [line for line in out.splitlines() if line.startswith("ting> ")]
    assert len(replies) == 3
    assert "10 minutes" in replies[1] and replies[2] == replies[1]


def test_timers_fire_exactly_once_across_sigkill(tmp_path: Path) -> None:
    """Timers pending when the process is killed ring once: on time, or late after restart."""
    ting(tmp_path, "ask", "what time is it")  # train and cache the models first
    first = _chat(tmp_path)
    assert first.stdin is not None
    for name, seconds in TIMERS.items():
        first.stdin.write(f"set a {name} timer for {seconds} seconds\n".encode())
    first.stdin.flush()
    before = _read_until(first, "pasta", time.monotonic() + 30)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert any("pasta" in line and "⏰" in line for line in before), before
    time.sleep(max(TIMERS.values()) + 1)  # everything else falls due while Ting is down

    second = _chat(tmp_path)
    after = _read_until(second, "rice", time.monotonic() + 30)
    time.sleep(1.0)
    after += _read_until(second, "never-printed", time.monotonic() + 1.0)
    os.set_blocking(second.stdout.fileno(), True)  # type: ignore[union-attr]
    rest, _ = second.communicate(timeout=10)
    after += rest.decode().splitlines()

    rings = [line for line in before + after if line.startswith("⏰")]
    for name in TIMERS:
        assert sum(name in line for line in rings) == 1, (name, rings)


def test_history_lists_and_forgets_turns(tmp_path: Path) -> None:
    ting(tmp_path, "ask", "what time is it")
    ting(tmp_path, "ask", "设一个五分钟的计时器")
    listed = ting(tmp_path, "history", "--json").stdout.decode().splitlines()
    assert [json.loads(line)["text"] for line in listed] == [
        "设一个五分钟的计时器",
        "what time is it",
    ]
    assert "Deleted 2 turns" in ting(tmp_path, "history", "--delete").stdout.decode()
    assert ting(tmp_path, "history").stdout.decode() == ""
