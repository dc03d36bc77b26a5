"""Text clean-up: NFKC, control characters, whitespace, punctuation inside and between words."""

from __future__ import annotations

import time

import pytest

from ting.errors import InputError
from ting.lang import clean_text, strip_punctuation


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ＡＢＣ　１２３", "ABC 123"),
        ("  set   a\ttimer\n", "set a timer"),
        ("现在几点了？", "现在几点了?"),
        ("好的！谢谢，再见：明天（周一）见；", "好的!谢谢,再见:明天(周一)见;"),
        ("你好。“小听”、《歌》…—·", "你好。“小听”、《歌》...—·"),
        ("what\u200b time\u00ad is\ufeff it", "what time is it"),
        ("bell\x07 ring\x00", "bell ring"),
        ("right\u200eto\u202eleft", "righttoleft"),
        ("a\u00a0b\u2003c\u3000d", "a b c d"),
        ("line\r\nbreak\u2028here", "line break here"),
        ("①②", "12"),
        ("25℃", "25°C"),
        ("😀 hi 👍🏽", "😀 hi 👍🏽"),
        ("family 👨\u200d👩\u200d👧 ok", "family 👨\u200d👩\u200d👧 ok"),
        ("stray\u200djoiner", "strayjoiner"),
        ("\u200d👍", "👍"),
        ("private\ue000use", "privateuse"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_is_idempotent() -> None:
    once = clean_text(" ｓｅｔ\u200b a  timer　for 五分钟！ ")
    assert clean_text(once) == once == "set a timer for 五分钟!"


@pytest.mark.parametrize(
    ("raw", "stripped"),
    [
        ("don't stop!", "don't stop"),
        ("don’t stop", "don’t stop"),
        ("it costs 3.5 dollars.", "it costs 3.5 dollars"),
        ("1,000 people, please", "1,000 people please"),
        ("wake me at 7:30.", "wake me at 7:30"),
        ("set it to -5 degrees", "set it to -5 degrees"),
        ("(-5)", "-5"),
        ("dim to 15%, please", "dim to 15% please"),
        ("it is 20° outside", "it is 20° outside"),
        ("25°C!", "25°C"),
        ("well-known AT&T U.S.", "well-known AT&T U.S"),
        ("1/2 cup", "1/2 cup"),
        ("hello,world", "hello world"),
        ("'quoted' \"words\"", "quoted words"),
        ("wait... what?!", "wait what"),
        ("a - b -- c", "a b c"),
        ("¿qué hora es?", "qué hora es"),
        ("你好，小听。", "你好 小听"),
        ("现在几点了？！", "现在几点了"),
        ("“北京”（中国）《歌》、对；是：好…—·", "北京 中国 歌 对 是 好"),
        ("迈克尔·杰克逊", "迈克尔 杰克逊"),
        ("$5 + 3 = 8", "$5 + 3 = 8"),
        ("好的😀!", "好的😀"),
        ("...", ""),
        ("", ""),
    ],
)
def test_strip_punctuation(raw: str, stripped: str) -> None:
    assert strip_punctuation(raw) == stripped


def test_strip_after_clean_handles_full_width_punctuation() -> None:
    cleaned = clean_text("设一个五分钟的计时器，好吗？")
    assert strip_punctuation(cleaned) == "设一个五分钟的计时器 好吗"


@pytest.mark.parametrize("function", [clean_text, strip_punctuation])
@pytest.mark.parametrize("value", [None, 42, b"text"])
def test_non_text_is_refused(function: object, value: object) -> None:
    assert callable(function)
    with pytest.raises(InputError):
        function(value)


def test_long_text_with_control_characters_is_fast() -> None:
    text = "现在\x00几点了，ok？\u200b " * 10_000
    start = time.perf_counter()
    cleaned = clean_text(text)
    assert time.perf_counter() - start < 0.2
    assert "\x00" not in cleaned
    assert "\u200b" not in cleaned
