"""What to announce: the words as said, tidied, and the language to speak them in.

The message is read out on other speakers exactly as the user said it ("I'm home" stays "I'm
home": no pronoun swapping as reminders do), with its first letter as said. Only what is not part
of the message goes: the joining word ("announce *that* ...", "broadcast *saying* ...",
"广播一下*说* ..."), fillers ("um", "please", 谢谢) and the punctuation at either end (the reply
adds its own full stop).

A message is too long for an announcement past ``MAX_CHARS`` characters, or past ``MAX_TOKENS``
tokens (words; each Chinese character is one): the NLU reads only the first 64 tokens of an
utterance (``NluSettings.max_tokens``), so a message near that many tokens may have been cut off
and must not be read out half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ting.lang import detect_language
from ting.nlu.tokens import is_cjk, words_of
from ting.nlu.types import SUPPORTED_LANGUAGES

MAX_CHARS = 200
MAX_TOKENS = 48
"""Well under the NLU's 64-token window, leaving room for the command words around it."""

_EDGE = " \t,.;:!?…-—\"'“”‘’「」『』《》，。；：！？、·"
_EN_LEADING = re.compile(r"^(?:(?:um+|uh+|er+|erm|please)\b[,\s]*)+", re.I)
_EN_TRAILING = re.compile(r"(?:[,\s]+(?:please|thanks|thank you))+$", re.I)
_ZH_LEADING = re.compile(r"^(?:[，,：:、\s]|就说)+")
_ZH_TRAILING = re.compile(r"(?:[，,。！!？?\s]|谢谢|谢啦)+$")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")
_NOTHING = frozenset(
    ("something", "anything", "a message", "an announcement", "it", "this", "that",
     "什么", "东西", "一件事", "件事", "个事", "事情", "这个", "那个", "一下")
)  # fmt: skip


@dataclass(frozen=True)
class Message:
    text: str
    """What the speakers say: the words as said, tidied."""
    language: str
    """The language the words are in ("en" or "zh"), for the voice that reads them out."""

    @property
    def too_long(self) -> bool:
        return len(self.text) > MAX_CHARS or len(words_of(self.text)) > MAX_TOKENS


def clean_message(said: str | None, language: str) -> Message | None:
    """The message to announce, or None when nothing is left to say."""
    if not said:
        return None
    text = _CJK_SPACE.sub("", " ".join(str(said).split())).strip(_EDGE)
    chinese = _mostly_chinese(text)
    leading = _ZH_LEADING if chinese else _EN_LEADING
    trailing = _ZH_TRAILING if chinese else _EN_TRAILING
    # Fillers go only when words are left: "告诉大家谢谢" announces 谢谢.
    text = trailing.sub("", leading.sub("", text)).strip(_EDGE) or text
    if not words_of(text) or text.lower() in _NOTHING:
        return None
    return Message(text, _language_of(text, language))


def _mostly_chinese(text: str) -> bool:
    words = words_of(text)
    return bool(words) and sum(is_cjk(w[0]) for w in words) * 2 >= len(words)


def _language_of(text: str, spoken: str) -> str:
    """The language of the words themselves: "announce 吃饭了" is said in English but is read out
    in Chinese. Words in neither language ("bon appétit") are read in the language spoken."""
    guess = detect_language(text).language
    return guess if guess in SUPPORTED_LANGUAGES else spoken
