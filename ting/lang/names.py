"""Language tags and speakable language names.

``normalize_language_tag`` reads what settings, HTTP headers and people write ("zh-Hans-CN",
"en_GB", "cmn", "Chinese", "中文") and answers a supported code or ``None``.
``language_name`` names a detected language in a reply ("that sounded like French" /
"听起来像是法语").
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

from ting.errors import InputError, LanguageError

__all__ = ["SUPPORTED", "language_name", "normalize_language_tag"]

SUPPORTED_LANGUAGES: Final[tuple[str, ...]] = ("en", "zh")
"""The languages Ting speaks; everything else imports this tuple from here."""
SUPPORTED: Final = SUPPORTED_LANGUAGES

_ALIASES: Final = MappingProxyType(
    {
        "zh": "zh",
        "zho": "zh",
        "chi": "zh",
        "cmn": "zh",
        "chinese": "zh",
        "mandarin": "zh",
        "中文": "zh",
        "汉语": "zh",
        "漢語": "zh",
        "华语": "zh",
        "華語": "zh",
        "普通话": "zh",
        "普通話": "zh",
        "国语": "zh",
        "國語": "zh",
        "en": "en",
        "eng": "en",
        "english": "en",
        "英文": "en",
        "英语": "en",
        "英語": "en",
    }
)
_SUBTAG = re.compile(r"[a-z0-9]{1,8}")
_NOT_MANDARIN: Final = frozenset({"yue", "wuu", "nan", "hak", "gan", "hsn", "cdo", "cjy"})
"""Extended-language subtags of other Chinese languages (Cantonese, Wu, Min Nan, ...)."""

_NAMES: Final = MappingProxyType(
    {
        "en": ("English", "英语"),
        "zh": ("Chinese", "中文"),
        "ja": ("Japanese", "日语"),
        "ko": ("Korean", "韩语"),
        "ru": ("Russian", "俄语"),
        "uk": ("Ukrainian", "乌克兰语"),
        "ar": ("Arabic", "阿拉伯语"),
        "fa": ("Persian", "波斯语"),
        "th": ("Thai", "泰语"),
        "hi": ("Hindi", "印地语"),
        "el": ("Greek", "希腊语"),
        "he": ("Hebrew", "希伯来语"),
        "fr": ("French", "法语"),
        "de": ("German", "德语"),
        "es": ("Spanish", "西班牙语"),
        "it": ("Italian", "意大利语"),
        "pt": ("Portuguese", "葡萄牙语"),
        "nl": ("Dutch", "荷兰语"),
        "pl": ("Polish", "波兰语"),
        "tr": ("Turkish", "土耳其语"),
        "vi": ("Vietnamese", "越南语"),
    }
)
_FALLBACK_NAMES: Final = ("that language", "这种语言")
_NAME_COLUMNS: Final = MappingProxyType({"en": 0, "zh": 1})
"""Which entry of a ``_NAMES`` pair is written in which language."""


def _require_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"expected {what} (str), got {type(value).__name__}")
    return value


def _subtags(tag: str) -> list[str] | None:
    parts = tag.strip().lower().replace("_", "-").split("-")
    return parts if all(_SUBTAG.fullmatch(part) for part in parts) else None


def normalize_language_tag(tag: str) -> str | None:
    """Return "en" or "zh" for any common way of writing them, otherwise ``None``.

    Accepts BCP 47 tags with region or script ("zh-Hans-CN", "en_GB", "zh-cmn-Hans"), ISO 639-2/3
    codes ("zho", "chi", "cmn", "eng") and names ("Chinese", "Mandarin", "中文", "English", "英语").
    Tags of other Chinese languages ("yue", "zh-yue") and every other language give ``None``.
    Raises ``InputError`` when ``tag`` is not a ``str``.
    """
    cleaned = _require_str(tag, "a language tag").strip()
    named = _ALIASES.get(cleaned.lower())
    if named is not None:
        return named
    parts = _subtags(cleaned)
    if not parts:
        return None
    if len(parts) > 1 and parts[1] in _NOT_MANDARIN:
        return None
    return _ALIASES.get(parts[0]) if len(parts[0]) <= 3 else None


def _code_of(code: str) -> str:
    parts = _subtags(code)
    return parts[0] if parts else ""


def language_name(code: str, in_language: str) -> str:
    """Name the language ``code`` ("fr", "ja-JP", ...) in English or Chinese, for a spoken reply.

    ``in_language`` is "en" or "zh" (any tag ``normalize_language_tag`` reads). Unknown codes,
    "und" included, give "that language" / "这种语言". Raises ``LanguageError`` when
    ``in_language`` is not a supported language and ``InputError`` when an argument is not a str.
    """
    code = _require_str(code, "a language code")
    column = _NAME_COLUMNS.get(normalize_language_tag(in_language) or "")
    if column is None:
        raise LanguageError(f"cannot name languages in {in_language!r}", language=in_language)
    names = _NAMES.get(normalize_language_tag(code) or _code_of(code), _FALLBACK_NAMES)
    return names[column]
