"""Any text at all: no unexpected exception, sane results, stable normalization."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.lang import clean_text, detect_language, strip_punctuation

_CHARACTERS = "abc xyz éñßã'’-.,:%°0123456789 的把了吗你好现在几点ですカ한글привет!?，。、《》…😀"
_INVISIBLE = ("\u200b", "\u200d", "\x00", "\t", "\n", "\u3000", "\ufeff")
_MIXED_ALPHABET = st.sampled_from([*_CHARACTERS, *_INVISIBLE])
_TEXTS = st.one_of(st.text(max_size=80), st.text(_MIXED_ALPHABET, max_size=80))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_detect_language_always_answers(text: str) -> None:
    guess = detect_language(text)
    assert 0.0 <= guess.confidence <= 1.0
    if guess.language == "und":
        assert guess.shares == {}
    else:
        assert guess.shares[guess.language] > 0
        assert sum(guess.shares.values()) == pytest.approx(1.0, abs=0.01)
    assert guess.mixed == ({"zh", "en"} <= guess.shares.keys())


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_clean_text_is_idempotent_and_tidy(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_strip_punctuation_is_idempotent_on_clean_text(text: str) -> None:
    stripped = strip_punctuation(clean_text(text))
    assert strip_punctuation(stripped) == stripped
