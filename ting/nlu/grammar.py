"""The sentence template grammar: parse a template into a small tree, resolve rules.

    (a|b)     alternatives          [x]      optional, the same as (x|)
    {slot}    a slot                <rule>   a named fragment, defined under ``rules:``

Nesting is allowed and alternatives may also appear at the top level (``a|b``). Literal text is
tokenized like utterances (see ``tokens``), so case, punctuation and spaces between CJK
characters do not matter. Errors raise ``NluError`` with the column of the problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ting.errors import NluError
from ting.nlu.tokens import tokenize

__all__ = [
    "Alt",
    "Node",
    "RuleRef",
    "Seq",
    "SlotRef",
    "Words",
    "parse_template",
    "resolve_rules",
    "rule_names",
    "slot_names",
]

_NAME = re.compile(r"[^\W\d][\w.]*")
"""Slot and rule names; a dot separates a skill's name from the names of its own rules."""
_SPECIAL = "()[]{}<>|"


@dataclass(frozen=True)
class Words:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class SlotRef:
    name: str


@dataclass(frozen=True)
class RuleRef:
    name: str


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[Node, ...]


Node = Words | SlotRef | RuleRef | Seq | Alt

EMPTY = Seq(())


class _Parser:
    """Recursive descent over the characters of one template."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str, pos: int | None = None) -> NluError:
        column = (self.pos if pos is None else pos) + 1
        return NluError(f"{message} at column {column}")

    def parse(self) -> Node:
        node = self.alternatives()
        if self.pos < len(self.text):
            raise self.fail(f"unexpected '{self.text[self.pos]}'")
        return node

    def alternatives(self) -> Node:
        options = [self.sequence()]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)]":
            item = self.item()
            if item != Words(()):
                items.append(item)
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def item(self) -> Node:
        char, start = self.text[self.pos], self.pos
        if char in "([":
            closing = ")" if char == "(" else "]"
            self.pos += 1
            inner = self.alternatives()
            if self.pos >= len(self.text) or self.text[self.pos] != closing:
                raise self.fail(f"'{char}' is never closed with '{closing}'", start)
            self.pos += 1
            if char == "(":
                return inner
            options = inner.options if isinstance(inner, Alt) else (inner,)
            return Alt((*options, EMPTY))
        if char in "{<":
            return self.reference(char)
        if char in "}>":
            raise self.fail(f"unexpected '{char}'")
        return self.literal()

    def reference(self, opening: str) -> Node:
        closing = "}" if opening == "{" else ">"
        start = self.pos
        end = self.text.find(closing, start + 1)
        if end < 0:
            raise self.fail(f"'{opening}' is never closed with '{closing}'", start)
        name = self.text[start + 1 : end].strip()
        if not _NAME.fullmatch(name):
            kind = "slot" if opening == "{" else "rule"
            raise self.fail(f"bad {kind} name {opening}{name}{closing}", start)
        self.pos = end + 1
        return SlotRef(name) if opening == "{" else RuleRef(name)

    def literal(self) -> Node:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _SPECIAL:
            self.pos += 1
        return Words(tuple(token.text for token in tokenize(self.text[start : self.pos])))


def parse_template(text: str) -> Node:
    """Parse one template; raises ``NluError`` on syntax errors or an empty template."""
    if not isinstance(text, str) or not text.strip():
        raise NluError("empty template")
    node = _Parser(text).parse()
    if not _has_content(node):
        raise NluError("template has no words, slots or rules")
    return node


def _has_content(node: Node) -> bool:
    match node:
        case Words(tokens):
            return bool(tokens)
        case SlotRef() | RuleRef():
            return True
        case Seq(items):
            return any(_has_content(item) for item in items)
        case Alt(options):
            return any(_has_content(option) for option in options)
    return False


def slot_names(node: Node) -> set[str]:
    match node:
        case SlotRef(name):
            return {name}
        case Seq(items) | Alt(items):
            return set().union(*(slot_names(item) for item in items))
    return set()


def rule_names(node: Node) -> set[str]:
    match node:
        case RuleRef(name):
            return {name}
        case Seq(items) | Alt(items):
            return set().union(*(rule_names(item) for item in items))
    return set()


def resolve_rules(node: Node, rules: Mapping[str, Node], _active: tuple[str, ...] = ()) -> Node:
    """Inline every ``<rule>``; unknown rules and rules that refer to themselves raise."""
    match node:
        case RuleRef(name):
            if name not in rules:
                raise NluError(f"unknown rule <{name}>")
            if name in _active:
                raise NluError(f"rule <{name}> refers to itself: {' -> '.join((*_active, name))}")
            return resolve_rules(rules[name], rules, (*_active, name))
        case Seq(items):
            return Seq(tuple(resolve_rules(item, rules, _active) for item in items))
        case Alt(options):
            return Alt(tuple(resolve_rules(option, rules, _active) for option in options))
    return node
