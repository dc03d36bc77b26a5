"""Text for speech: normalization, clause splitting and language spans (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.tts.text import (
    Span,
    normalize_for_speech,
    split_clauses,
    split_language_spans,
    weight,
)


def texts(text: str) -> list[str]:
    return [clause.text for clause in split_clauses(text)]


# --- clauses -------------------------------------------------------------------------------


def test_english_sentences_and_long_clauses_split() -> None:
    text = (
        "Okay. Your timer is set for 10 minutes, starting right now. "
        "Dr. Smith said 3.5 is fine; see you at 10:15 AM!"
    )
    assert texts(text) == [
        "Okay.",
        "Your timer is set for 10 minutes,",
        "starting right now.",
        "Dr. Smith said 3.5 is fine;",
        "see you at 10:15 AM!",
    ]


def test_chinese_sentences_and_clause_marks_split() -> None:
    clauses = split_clauses("好的，计时器设定为十分钟。现在开始，还剩五分钟；加油！")
    assert [c.text for c in clauses] == [
        "好的，",
        "计时器设定为十分钟。",
        "现在开始，还剩五分钟；",
        "加油！",
    ]
    assert [c.sentence_end for c in clauses] == [False, True, True, True]
    # after the first clause a comma needs a longer piece before it
    clauses = split_clauses("好的，我已经把灯关了，卧室的灯也关了。")
    assert [c.text for c in clauses] == ["好的，", "我已经把灯关了，卧室的灯也关了。"]
    clauses = split_clauses("好的，我已经把客厅的灯关掉了，卧室的灯也关了。")
    assert [c.text for c in clauses] == ["好的，", "我已经把客厅的灯关掉了，", "卧室的灯也关了。"]
    assert [c.sentence_end for c in clauses] == [False, False, True]


def test_short_pieces_stay_together() -> None:
    # commas inside short lists, "1,000", "10:15" and a lone initial do not split
    assert texts("Okay. Red, green, blue.") == ["Okay.", "Red, green, blue."]
    assert texts("We need 1,000 at 10:15 with J. Doe.") == ["We need 1,000 at 10:15 with J. Doe."]
    assert texts("Sure") == ["Sure"]


def test_first_clause_may_be_shorter_than_later_ones() -> None:
    clauses = texts("All right, the kitchen, the hall, and the garden lights are off now.")
    assert clauses[0] == "All right,"
    assert "the kitchen, the hall," in clauses[1]


def test_run_on_text_is_cut_at_spaces() -> None:
    words = " ".join(["word"] * 200)
    clauses = split_clauses(words, max_clause=60)
    assert len(clauses) > 5
    assert all(weight(c.text) <= 60 for c in clauses)
    assert " ".join(c.text for c in clauses) == words


def test_run_on_chinese_is_cut_anywhere() -> None:
    clauses = split_clauses("好" * 300, max_clause=60)
    assert all(weight(c.text) <= 60 for c in clauses)
    assert "".join(c.text for c in clauses) == "好" * 300


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab 好的,.，。!？3:", max_size=80))
def test_clauses_keep_every_speakable_character(text: str) -> None:
    joined = "".join(c.text for c in split_clauses(text)).replace(" ", "")
    expected = "".join(ch for ch in text if ch.isalnum())
    assert "".join(ch for ch in joined if ch.isalnum()) == expected


# --- language spans ------------------------------------------------------------------------


def test_short_latin_word_inside_chinese_stays_with_the_chinese_voice() -> None:
    assert split_language_spans("好的，pasta 计时器开始了", "zh") == [
        Span("zh", "好的，pasta 计时器开始了")
    ]


def test_long_latin_run_inside_chinese_gets_the_english_voice() -> None:
    spans = split_language_spans("密码是 hello world this is long 对吧", "zh")
    assert spans == [
        Span("zh", "密码是"),
        Span("en", "hello world this is long"),
        Span("zh", "对吧"),
    ]


def test_embedding_can_be_turned_off() -> None:
    spans = split_language_spans("好的，pasta 计时器开始了", "zh", max_embedded_words=0)
    assert [s.language for s in spans] == ["zh", "en", "zh"]
    assert spans[1].text == "pasta"


def test_chinese_inside_english_always_gets_the_chinese_voice() -> None:
    assert split_language_spans("Playing 周杰伦 now.", "en") == [
        Span("en", "Playing"),
        Span("zh", "周杰伦"),
        Span("en", "now."),
    ]


def test_digits_go_with_the_text_they_touch() -> None:
    assert split_language_spans("timer 5分钟", "en") == [Span("en", "timer"), Span("zh", "5分钟")]
    assert split_language_spans("还剩5 minutes and 30 seconds left", "zh") == [
        Span("zh", "还剩5"),
        Span("en", "minutes and 30 seconds left"),
    ]
    assert split_language_spans("还剩5 minutes 30 seconds", "zh") == [
        Span("zh", "还剩5 minutes 30 seconds")
    ]
    assert split_language_spans("42", "zh") == [Span("zh", "42")]


def test_pure_texts_are_one_span() -> None:
    assert split_language_spans("It is 10:15 AM.", "en") == [Span("en", "It is 10:15 AM.")]
    assert split_language_spans("现在是十点。", "zh") == [Span("zh", "现在是十点。")]
    assert split_language_spans("...", "en") == []


# --- normalization -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("It costs $3.50, or $1.", "en", "It costs 3 dollars 50 cents, or 1 dollar."),
        ("It is 25°C 😀 at 7:05.", "en", "It is 25 degrees Celsius at 7 oh 5."),
        ("**Bold** `code` # title", "en", "Bold code title"),
        ("现在是3:30，气温25°C。", "zh", "现在是3点30分，气温25摄氏度。"),
        ("9:00 和 8:05", "zh", "9点整 和 8点零5分"),
        ("1,000人", "zh", "1000人"),
        ("1,000,000,000,000元", "zh", "1000000000000元"),
        ("电话13812345678", "zh", "电话一三八一二三四五六七八"),
        ("Meet at 3:30 with 张三", "en", "Meet at 3:30 with 张三"),
        ("10点15分，还剩5分钟", "zh", "10点15分，还剩5分钟"),
        ("😀🎉👍", "en", ""),
        ("  ...  ", "zh", ""),
    ],
)
def test_normalization(text: str, language: str, expected: str) -> None:
    assert normalize_for_speech(text, language) == expected
