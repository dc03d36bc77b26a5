"""The NLU-facing registry: dispatch by value type, and sampled training phrases."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ting.errors import ConfigError, LanguageError
from ting.nlu.types import ParseContext
from ting.values import VALUE_TYPES, DateTimeValue, Quantity, parse_value, sample_phrases

SHANGHAI = ZoneInfo("Asia/Shanghai")
CTX = ParseContext(datetime(2026, 11, 24, 10, 15, tzinfo=SHANGHAI), SHANGHAI)


def test_value_types_are_exactly_the_published_names() -> None:
    published = {"number", "integer", "duration", "datetime", "percentage", "temperature"}
    assert published | {"recurrence"} == VALUE_TYPES


@pytest.mark.parametrize(
    ("value_type", "text", "kind"),
    [
        ("number", "三点五", float),
        ("integer", "twenty five", int),
        ("duration", "五分钟", timedelta),
        ("datetime", "明早七点", DateTimeValue),
        ("percentage", "15%", Quantity),
        ("temperature", "二十度", Quantity),
    ],
)
def test_parse_value_dispatches(value_type: str, text: str, kind: type) -> None:
    assert isinstance(parse_value(value_type, text, CTX), kind)


@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
def test_parse_value_gives_none_for_nonsense(value_type: str) -> None:
    assert parse_value(value_type, "banana", CTX) is None


def test_unknown_value_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_value("colour", "red", CTX)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    value_type=st.sampled_from(sorted(VALUE_TYPES)),
    language=st.sampled_from(["en", "zh"]),
)
def test_every_sampled_phrase_parses_back(seed: int, value_type: str, language: str) -> None:
    for phrase in sample_phrases(value_type, language, random.Random(seed), 25):
        assert parse_value(value_type, phrase, CTX) is not None, phrase


@pytest.mark.parametrize("value_type", sorted(VALUE_TYPES))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_samples_are_varied_and_reproducible(value_type: str, language: str) -> None:
    phrases = sample_phrases(value_type, language, random.Random(7), 60)
    assert len(phrases) == 60
    assert len(set(phrases)) >= 20
    assert phrases == sample_phrases(value_type, language, random.Random(7), 60)


def test_samples_mix_words_and_digits() -> None:
    rng = random.Random(3)
    english = sample_phrases("duration", "en", rng, 200)
    chinese = sample_phrases("duration", "zh", rng, 200)
    assert any(any(c.isdigit() for c in p) for p in english)
    assert any(p.split()[0].isalpha() for p in english)
    assert any(any(c.isdigit() for c in p) for p in chinese)
    assert any(not any(c.isdigit() for c in p) for p in chinese)


def test_sample_phrases_errors() -> None:
    rng = random.Random(0)
    assert sample_phrases("number", "en", rng, 0) == []
    with pytest.raises(ConfigError):
        sample_phrases("colour", "en", rng, 3)
    with pytest.raises(ConfigError):
        sample_phrases("number", "en", rng, -1)
    with pytest.raises(LanguageError):
        sample_phrases("number", "fr", rng, 3)
