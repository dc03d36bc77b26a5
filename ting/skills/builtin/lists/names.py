"""Which list a request means, and how a list is named.

Two lists always exist for every household: ``shopping`` and ``todo``. Other lists are named by
the user ("camping", "露营"); their stored name is what was said without the word "list" and
without articles, lower-case. When no list is named, the list the conversation is about is used;
failing that, adds that look like tasks ("call mom", "交电费") go to the to-do list and everything
else to the shopping list, and the reply always says which list was used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ting.skills.base import Fragment, IntentRequest

SHOPPING = "shopping"
TODO = "todo"
BUILT_IN = (SHOPPING, TODO)

_LIST_WORDS = re.compile(
    r"\b(?:lists?|the|my|our|a|an|this|that|new|called|named)\b|清单儿?|单子|列表|我们的|我的|这个|那个|新的|的$",
    re.IGNORECASE,
)
_SYNONYMS = {
    "shopping": SHOPPING,
    "grocery": SHOPPING,
    "groceries": SHOPPING,
    "购物": SHOPPING,
    "买菜": SHOPPING,
    "to do": TODO,
    "todo": TODO,
    "to-do": TODO,
    "tasks": TODO,
    "待办": TODO,
    "待办事项": TODO,
    "任务": TODO,
}
_TASK_VERBS_EN = frozenset(
    [
        "call",
        "phone",
        "text",
        "email",
        "mail",
        "pay",
        "book",
        "schedule",
        "clean",
        "wash",
        "fix",
        "repair",
        "renew",
        "return",
        "pick",
        "water",
        "mow",
        "vacuum",
        "finish",
        "write",
        "send",
        "cancel",
        "visit",
        "file",
        "submit",
        "sign",
        "take",
        "make",
        "do",
        "walk",
        "feed",
        "check",
        "organize",
        "tidy",
        "sweep",
        "mop",
        "iron",
        "cook",
        "bake",
        "study",
        "practice",
        "read",
        "reply",
        "contact",
        "change",
        "replace",
        "install",
        "update",
        "drop",
        "collect",
        "order",
        "register",
        "apply",
        "print",
        "post",
        "charge",
    ]
)
_TASK_PREFIXES_ZH = (
    "给",
    "交",
    "缴",
    "修",
    "预约",
    "取",
    "寄",
    "打扫",
    "整理",
    "收拾",
    "写",
    "做",
    "去",
    "接",
    "送",
    "办",
    "约",
    "订",
    "联系",
    "回复",
    "浇",
    "还",
    "洗车",
    "洗衣服",
    "洗碗",
    "拖地",
    "倒垃圾",
    "遛",
    "喂",
    "学",
    "练",
    "报名",
    "打",
    "带",
    "换",
    "看医生",
)


def list_name(name: Any) -> str | None:
    """ "the Camping list" -> "camping", "露营清单" -> "露营", "grocery" -> "shopping"."""
    if not name:
        return None
    text = _LIST_WORDS.sub(" ", str(name).lower())
    text = " ".join(text.split()).strip(" ,.，。")
    if not text:
        return None
    return _SYNONYMS.get(text, text)


def named_list(request: IntentRequest) -> str | None:
    """The list the user named in this request, if any."""
    said = request.slot("list")
    if said in BUILT_IN:
        return str(said)
    return list_name(request.slot("name"))


def context_list(request: IntentRequest) -> str | None:
    """The list the conversation is about ("and eggs", "read it")."""
    previous = request.previous
    if previous is None or previous.skill != "lists":
        return None
    found = previous.context.get("list")
    return str(found) if found else None


def looks_like_task(items: Sequence[str]) -> bool:
    """ "call mom", "pay the bill", "交电费", "给妈妈打电话" read as things to do."""
    for item in items:
        words = item.lower().split()
        if words and words[0] in _TASK_VERBS_EN and len(words) > 1:
            return True
        if item.startswith(_TASK_PREFIXES_ZH) or "打电话" in item:
            return True
    return False


def label(name: str) -> Fragment:
    """How a list is spoken: "shopping list" / "购物清单", "camping list" / "露营清单"."""
    if name == SHOPPING:
        return Fragment("list_shopping")
    if name == TODO:
        return Fragment("list_todo")
    return Fragment("list_named", {"name": name})
