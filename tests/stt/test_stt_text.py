"""Recognizer text clean-up: Simplified Chinese, loop cutting, prompt terms."""

from __future__ import annotations

import importlib.util

import pytest

from ting.stt.text import (
    collapse_repeats,
    compression_ratio,
    drop_repeated_utterance,
    prompt_terms,
    to_simplified,
)


@pytest.mark.skipif(importlib.util.find_spec("opencc") is None, reason="opencc is not installed")
def test_traditional_becomes_simplified() -> None:
    assert to_simplified("設一個五分鐘的計時器") == "设一个五分钟的计时器"
    assert to_simplified("廣州市房地產中介協會") == "广州市房地产中介协会"
    assert to_simplified("set a timer for 五分鐘") == "set a timer for 五分钟"
    assert to_simplified("what time is it") == "what time is it"


def test_loops_are_cut_and_speech_is_untouched() -> None:
    assert collapse_repeats("thank you " * 20).split() == ["thank", "you", "thank", "you"]
    assert collapse_repeats("谢谢" * 15) == "谢谢"
    assert collapse_repeats("好的" * 15) == "好的好的"
    assert collapse_repeats("one zero zero one") == "one zero zero one"
    normal = "It was the first great sorrow of his life, it was, it was."
    assert collapse_repeats(normal) == normal
    assert collapse_repeats("你好，世界。") == "你好，世界。"


def test_compression_ratio_flags_loops() -> None:
    assert compression_ratio("") == 0.0
    assert compression_ratio("set a timer for five minutes") < 2.4
    assert compression_ratio("the the the the " * 30) > 2.4


def test_prompt_terms_split_by_script() -> None:
    vocabulary = ["timer", "Tokyo", "计时器", "  New   York ", "TIMER", "", "东京"]
    assert prompt_terms(vocabulary, chinese=False) == ["timer", "Tokyo", "New York"]
    assert prompt_terms(vocabulary, chinese=True) == ["计时器", "东京"]


@pytest.mark.parametrize(
    ("heard", "kept"),
    [
        ("What time is it? What time is it?", "What time is it?"),
        ("现在几点现在几点", "现在几点"),
        ("设一个计时器。设一个计时器。设一个计时器。", "设一个计时器"),
        ("What time is it? What time", "What time is it?"),
        ("Wake me up at 7 tomorrow morning. Wake me up at", "Wake me up at 7 tomorrow morning."),
        ("现在几点了现在几点了现在几点", "现在几点了"),
        ("hello hello", "hello hello"),
        ("set a timer set", "set a timer set"),
        ("turn on the light and turn on the fan", "turn on the light and turn on the fan"),
    ],
)
def test_a_command_decoded_twice_over_is_kept_once(heard: str, kept: str) -> None:
    assert drop_repeated_utterance(heard) == kept
