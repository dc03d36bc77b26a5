"""Language tags and speakable language names."""

from __future__ import annotations

import pytest

from ting.errors import InputError, LanguageError
from ting.lang import SUPPORTED_LANGUAGES, detect_language, language_name, normalize_language_tag
from ting.lang.detect import SUPPORTED
from ting.lang.detect import normalize_language_tag as detect_normalize_language_tag
from ting.nlu import types


@pytest.mark.parametrize(
    "tag",
    ["zh", "ZH", "zh-CN", "zh_cn", "zh-Hans", "zh-Hans-CN", "zh-Hant-TW", "zh-cmn-Hans", "cmn",
     "zho", "chi", "Chinese", "chinese", "Mandarin", "中文", "汉语", "普通话", " zh-TW "],
)  # fmt: skip
def test_chinese_tags(tag: str) -> None:
    assert normalize_language_tag(tag) == "zh"


@pytest.mark.parametrize(
    "tag", ["en", "EN", "en-US", "en_GB", "en-Latn-US", "eng", "English", "english", "英文", "英语"]
)
def test_english_tags(tag: str) -> None:
    assert normalize_language_tag(tag) == "en"


@pytest.mark.parametrize(
    "tag",
    ["fr", "fr-FR", "ja", "yue", "zh-yue", "French", "", "   ", "-", "zh--CN", "zh CN",
     "english-US", "x", "zhongwen", "zh-Hans-CN-toolongsubtag", "en@US"],
)  # fmt: skip
def test_other_or_malformed_tags_give_none(tag: str) -> None:
    assert normalize_language_tag(tag) is None


def test_non_text_tag_is_refused() -> None:
    with pytest.raises(InputError):
        normalize_language_tag(None)  # type: ignore[arg-type]


def test_supported_languages_are_the_nlu_tuple() -> None:
    assert SUPPORTED_LANGUAGES is types.SUPPORTED_LANGUAGES
    assert SUPPORTED is types.SUPPORTED_LANGUAGES
    assert detect_normalize_language_tag is normalize_language_tag


@pytest.mark.parametrize(
    ("code", "english", "chinese"),
    [
        ("fr", "French", "法语"),
        ("ja", "Japanese", "日语"),
        ("ko", "Korean", "韩语"),
        ("de-DE", "German", "德语"),
        ("es", "Spanish", "西班牙语"),
        ("zh-CN", "Chinese", "中文"),
        ("en", "English", "英语"),
        ("und", "that language", "这种语言"),
        ("xx", "that language", "这种语言"),
        ("", "that language", "这种语言"),
        ("???", "that language", "这种语言"),
    ],
)
def test_language_names(code: str, english: str, chinese: str) -> None:
    assert language_name(code, "en") == english
    assert language_name(code, "zh-CN") == chinese


@pytest.mark.parametrize(
    "text",
    ["quelle heure est-il", "wie spät ist es", "今何時ですか", "지금 몇 시예요", "который час",
     "скільки зараз часу", "كم الساعة", "ساعت چند است", "กี่โมงแล้ว", "कितने बजे हैं",
     "τι ώρα είναι", "מה השעה", "che ore sono", "que horas são", "hoe laat is het",
     "Która jest godzina", "Saat kaç", "Mấy giờ rồi", "hola"],
)  # fmt: skip
def test_every_detected_language_has_a_name(text: str) -> None:
    code = detect_language(text).language
    assert language_name(code, "en") != "that language"
    assert language_name(code, "zh") != "这种语言"


def test_names_only_in_supported_languages() -> None:
    with pytest.raises(LanguageError) as caught:
        language_name("fr", "fr")
    assert caught.value.language == "fr"


def test_non_text_code_is_refused() -> None:
    with pytest.raises(InputError):
        language_name(None, "en")  # type: ignore[arg-type]
