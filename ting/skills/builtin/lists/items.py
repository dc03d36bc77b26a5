"""Items as people say them: "milk, eggs and bread" / "牛奶、鸡蛋还有面包" -> three items.

Splitting rule: an item list is cut at commas, semicolons, "、", and at the joining words
"and", "also", "plus", "as well as" (English) and "和", "跟", "与", "还有", "以及" (Chinese).
A joining word inside a known compound item is not a cut: "mac and cheese", "salt and pepper",
"和牛" (wagyu), "和面" (knead dough) stay whole. The compounds are a short, hand-kept list
(``COMPOUNDS``); anything not on it that contains "and" is split, the way a person reading the
sentence aloud would most often mean it.

Each item is then trimmed of fillers that are not part of the thing ("some", "the", "also",
"too", "一些", "一点", "吧"), and compared case-insensitively without them, so "some milk" is
already on a list holding "Milk".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ting.store.records import ListItem

MAX_ITEM_CHARS = 100
"""An item longer than this is a misrecognition or a joke, not a thing to buy."""

COMPOUNDS = (
    # English: dishes and products whose names hold a joining word.
    "mac and cheese",
    "macaroni and cheese",
    "salt and pepper",
    "fish and chips",
    "half and half",
    "peanut butter and jelly",
    "pork and beans",
    "ham and cheese",
    "cookies and cream",
    "sweet and sour sauce",
    "salt and vinegar chips",
    "sour cream and onion chips",
    "bread and butter pickles",
    # Chinese: words that begin with or hold 和 / 跟 / 与 without joining two things.
    "和牛",
    "和果子",
    "和服",
    "和面",
    "暖和",
    "跟腱",
    "与众不同",
)

_SEPARATORS = re.compile(
    r"\s*(?:[,;，；、]|\band also\b|\bas well as\b|\band then\b|\band\b|\balso\b|\bplus\b|&"
    r"|还有|以及|和|跟|与)\s*",
    re.IGNORECASE,
)
_LEAD_EN = re.compile(
    r"^(?:(?:and|also|some|more|maybe|please|the|my|a few|a couple of|a little|a bit of|"
    r"oh|um|uh|like)\s+)+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:a|an)\s+(?=\S+\s*\S)", re.IGNORECASE)
_QUANTITY = frozenset(
    [
        "dozen",
        "couple",
        "few",
        "pair",
        "bag",
        "box",
        "bottle",
        "pack",
        "packet",
        "loaf",
        "can",
        "jar",
        "carton",
        "bunch",
        "case",
        "tub",
        "lot",
        "gallon",
        "pound",
        "kilo",
        "bar",
        "roll",
        "tin",
    ]
)
_TAIL_EN = re.compile(
    r"(?:\s+(?:too|as well|also|please|for me|thanks|thank you|again|then|on it|on there))+$",
    re.IGNORECASE,
)
_LEAD_ZH = re.compile(r"^(?:再|也|还|一些|一点儿|一点|点儿|一个|一条|一下|些|个|条|上)+")
_TAIL_ZH = re.compile(r"(?:吧|呗|啊|呀|哦|嘛|了|也|都|哈|吗|呢|等等|什么的|之类的)+$")
_KEEP_ZH = ("点心", "个人", "上海", "些许")
_NOTHING = frozenset(
    {"something", "stuff", "things", "thing", "item", "items", "more", "list", "lists"}
    | {"东西", "点东西", "些东西", "一些东西", "一点东西", "什么", "啥", "清单", "事情", "一项"}
)
"""What people say instead of an item ("add something to my list"): no item yet."""
_EDGE = " \t,.;:!?，。；：！？、\"'“”‘’"


def split_items(text: str) -> list[str]:
    """The items in ``text``, cleaned, in the order said, without repeats; may be empty."""
    protected, compounds = _protect(text)
    items: list[str] = []
    for part in _SEPARATORS.split(protected):
        item = clean_item(_restore(part, compounds))
        if item.lower() in _NOTHING:
            continue
        if item and item_key(item) not in {item_key(i) for i in items}:
            items.append(item)
    return items


def clean_item(text: str) -> str:
    """ "some fresh milk too" -> "fresh milk", "一点香蕉吧" -> "香蕉"."""
    item = text.strip(_EDGE)
    for _ in range(2):
        item = _TAIL_EN.sub("", _LEAD_EN.sub("", item)).strip(_EDGE)
        article = _ARTICLE.match(item)
        if article and item[article.end() :].split()[0].lower() not in _QUANTITY:
            item = item[article.end() :]
        if not item.startswith(_KEEP_ZH):
            item = _LEAD_ZH.sub("", item)
        item = _TAIL_ZH.sub("", item).strip(_EDGE)
    return " ".join(item.split())


def item_key(text: str) -> str:
    """What two items are compared by: case and fillers do not count."""
    return clean_item(text).lower().replace(" ", "") if text else ""


def find_item(items: Sequence[ListItem], said: str, *, exact: bool = False) -> ListItem | None:
    """The item of a list that ``said`` means: the same words, else the same words but for a
    plural "s" ("apple" / "apples"), else (unless ``exact``) the one item that contains them
    or that they contain ("milk" -> "oat milk" when it is the only milk)."""
    key = item_key(said)
    if not key:
        return None
    for same in (lambda k: k == key, lambda k: _singular(k) == _singular(key)):
        found = [i for i in items if same(item_key(i.text))]
        if found:
            return _first_open(found)
    if exact:
        return None
    near = [i for i in items if key in item_key(i.text) or item_key(i.text) in key]
    return near[0] if len(near) == 1 else None


def _first_open(found: list[ListItem]) -> ListItem:
    return next((i for i in found if not i.checked), found[0])


def _singular(key: str) -> str:
    if key.isascii() and len(key) > 3:
        return key.removesuffix("es") if key.endswith(("ches", "shes", "oes")) else key.rstrip("s")
    return key


def too_long(items: list[str]) -> bool:
    return any(len(item) > MAX_ITEM_CHARS for item in items)


def _protect(text: str) -> tuple[str, list[str]]:
    """Replace compounds by placeholders the separators cannot cut."""
    found: list[str] = []

    def hide(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return f"\x00{len(found) - 1}\x00"

    for compound in sorted(COMPOUNDS, key=len, reverse=True):
        pattern = re.escape(compound)
        if compound.isascii():
            pattern = rf"\b{pattern}\b"
        text = re.sub(pattern, hide, text, flags=re.IGNORECASE)
    return text, found


def _restore(text: str, compounds: list[str]) -> str:
    return re.sub("\x00(\\d+)\x00", lambda m: compounds[int(m.group(1))], text)
