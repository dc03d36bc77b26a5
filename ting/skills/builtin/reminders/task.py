"""What to remind about: the task as the user said it, cleaned and turned to the second person.

Ting reads a task back to the person who set it, so the words that point at the speaker point at
the listener instead:

- English: my → your, me → you, I → you, I'm → you're, mine → yours, myself → yourself
  ("remind me to call my mom" → "call your mom"; "remind me that I have a meeting" → "you have a
  meeting"). "our" and "us" stay (the household).
- Chinese: 我的 → 你的, 我自己 → 你自己. A bare 我 stays: "给我妈打电话" read back as "给你妈打电话"
  would sound rude, and a Chinese speaker reads "提醒：给我妈打电话" as a note to self anyway.

The connecting word in English ("to call mom", "about the meeting", "that the bins go out") is
kept apart so a reply can say "I'll remind you about the meeting" and the fired reminder
"Reminder: the meeting."
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EN_LINKS = ("to", "too", "about", "that", "of", "for")
_EN_LEADING = re.compile(r"^(?:(?:please|um+|uh+|so|just|also|again|ok(?:ay)?|hey|then|,)\s+)+")
_EN_TRAILING = re.compile(
    r"(?:\s+(?:please|thanks|thank you|ok(?:ay)?|will you|would you|could you|for me|then|"
    r"as well|too|alright|right|now please))+$"
)
_EN_SWAP = {
    "my": "your",
    "me": "you",
    "i": "you",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "mine": "yours",
    "myself": "yourself",
}
_ZH_LEADING = re.compile(r"^(?:[，,。、\s]|一下|下|记得|别忘了|别忘记|要记得|我得|我要去)+")
_ZH_TRAILING = re.compile(
    r"(?:[，,。！!？?\s]|吧|哦|噢|啊|呀|哈|呗|啦|好吗|好不好|行吗|谢谢|一下)+$"
)
_ZH_SWAP = (("我自己", "你自己"), ("我的", "你的"))
_EN_BAD_CLOCK = re.compile(
    r"(?:^|\s)(?:at|by|around|for)\s+(\d{1,3})(?::(\d{1,2}))?\s*(o'?clock|am|pm|a\.m\.|p\.m\.)?"
    r"(?=\s|$)"
)
_ZH_BAD_CLOCK = re.compile(r"^(?:在)?([\d零一二两三四五六七八九十百]+)(?:点|點|时|:)")
_ZH_NUMERALS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip


@dataclass(frozen=True)
class Task:
    text: str
    """The task in the second person, ready to read back: "call your mom", "开会"."""
    link: str = "to"
    """The English word that joins it to "remind you": to, about, that (unused in Chinese)."""


def is_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def clean_task(said: str | None, language: str, link: str = "to") -> Task | None:
    """The task the user named, cleaned; None when nothing is left to remind about."""
    if not said:
        return None
    text = " ".join(str(said).split()).strip(" ,.!?;:，。！？；：、…")
    if not re.search(r"\w", text):
        return None
    if is_chinese(text) or (language == "zh" and not re.search(r"[a-z]", text, re.I)):
        return _clean_zh(text)
    return _clean_en(text, link)


def _clean_en(text: str, link: str) -> Task | None:
    words = text.split()
    while words and words[0].lower() in (*_EN_LINKS, "please", "um", "uh"):
        first = words.pop(0).lower()
        if first in ("about", "that"):
            link = first
        elif first in ("of", "for"):
            link = "about"
    rest = _EN_LEADING.sub("", " ".join(words))
    rest = _EN_TRAILING.sub("", rest).strip(" ,.!?")
    if not rest or rest.lower() in ("it", "something", "this", "that"):
        return None
    swapped = " ".join(_swap_en(word) for word in rest.split())
    if link == "that":
        swapped = re.sub(r"\byou am\b", "you are", swapped)
    return Task(swapped, link)


def _swap_en(word: str) -> str:
    core = word.strip(",.!?").lower().replace("’", "'")
    if core not in _EN_SWAP:
        return word
    return word.lower().replace(core, _EN_SWAP[core], 1)


def _clean_zh(text: str) -> Task | None:
    rest = _ZH_TRAILING.sub("", _ZH_LEADING.sub("", text.replace(" ", "")))
    for mine, yours in _ZH_SWAP:
        rest = rest.replace(mine, yours)
    if not rest or rest in ("这个", "那个", "这件事", "一件事", "事情", "我"):
        return None
    return Task(rest, "to")


def bad_clock(task: str | None) -> str | None:
    """A clock time inside the task text that no clock shows ("at 25 o'clock", 二十五点):
    the time did not parse, so it stayed in the task. Returns the words, or None."""
    if not task:
        return None
    text = str(task).strip()
    found = _ZH_BAD_CLOCK.search(text.replace(" ", ""))
    if found is not None:
        hour = _zh_number(found.group(1))
        if hour is not None and hour > 24:
            return found.group(0).removeprefix("在")
    for match in _EN_BAD_CLOCK.finditer(text.lower()):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = match.group(3)
        if hour > 24 or minute > 59 or (suffix and suffix[0] in "ap" and hour > 12):
            return match.group(0).strip()
    return None


def _zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _ZH_NUMERALS.get(tens, 1) if tens else 1
        low = _ZH_NUMERALS.get(ones, 0) if ones else 0
        return high * 10 + low
    if len(text) == 1 and text in _ZH_NUMERALS:
        return _ZH_NUMERALS[text]
    return None


_EN_STOP = frozenset(
    ("the", "a", "an", "my", "your", "our", "to", "about", "for", "of", "reminder", "reminders",
     "remind", "me", "you", "that", "this", "it", "on", "at", "in", "with", "and", "please",
     "one", "thing")
)  # fmt: skip
_ZH_STOP = re.compile(r"关于|提醒|那个|这个|的|我|你|一下|给|要|去|了")


def task_key(text: str) -> str:
    """The words of a task that tell it apart: "the reminder about my mom" → "mom"."""
    lowered = text.lower().replace("’", "'")
    if is_chinese(lowered):
        return _ZH_STOP.sub("", lowered.replace(" ", ""))
    words = re.findall(r"[a-z0-9']+", lowered)
    return " ".join(w for w in words if w not in _EN_STOP)


def task_matches(said: str, task: str) -> bool:
    """Whether the words the user said ("mom", "开会的") pick out this task ("call your mom")."""
    wanted, have = task_key(said), task_key(task)
    if not wanted or not have:
        return False
    if wanted in have or have in wanted:
        return True
    if is_chinese(wanted) or is_chinese(have):
        shared = set(wanted) & set(have)
        return len(shared) >= 2 and len(shared) * 2 >= len(set(wanted))
    wanted_words, have_words = set(wanted.split()), {_stem(w) for w in have.split()}
    return any(_stem(word) in have_words for word in wanted_words)


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
