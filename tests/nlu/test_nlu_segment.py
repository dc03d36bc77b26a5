"""Chinese word boundaries (jieba) as slot-tagger features."""

from __future__ import annotations

from ting.nlu.features import token_features
from ting.nlu.segment import word_positions
from ting.nlu.tokens import words_of


def test_each_cjk_character_gets_its_place_in_its_word() -> None:
    words = words_of("我想听周杰伦的歌 play 五分钟")
    positions = word_positions(words)
    assert positions[3:6] == [("B", "周杰伦"), ("M", "周杰伦"), ("E", "周杰伦")]
    assert positions[6] == ("S", "的")
    assert positions[words.index("play")] is None
    assert [p[0] for p in positions[-3:] if p] == ["B", "M", "E"]


def test_english_has_no_segments() -> None:
    assert word_positions(words_of("set a timer for five minutes")) == [None] * 6


def test_tagger_features_carry_the_word_and_its_neighbours() -> None:
    words = words_of("我想听周杰伦的歌")
    features = token_features(words, [()] * len(words), 4, "play", word_positions(words))
    assert {"jp=M", "jw=周杰伦", "jl=3", "jpw=听", "jnw=的", "ijp=play_M"} <= set(features)
