"""Spoken arithmetic, English and Chinese alike: a tokenizer and a recursive-descent parser (never
``eval``) over number phrases and operator words or symbols.

    expression("three plus 4 times 2")   -> Binary("+", 3, Binary("*", 4, 2))   = 11
    expression("三百二十五除以五")          -> Binary("/", 325, 5)                 = 65
    expression("二的十次方")               -> Binary("^", 2, 10)                  = 1024
    expression("15% of 80")              -> Binary("of", Percent(15), 80)       = 12

Grammar (lowest precedence first; "of"/的 multiplies, as in "15% of 80" and 80的15%)::

    sentence := VERB expr LINK expr          "divide 100 by 8", "subtract 3 from 10"
              | expr
    expr     := term ((+|-) term)*
    term     := unary ((*|/|of) unary)*
    unary    := - unary | sqrt unary | cbrt unary | 百分之 unary | power
    power    := postfix [^ unary] | postfix 的 unary 次方
    postfix  := primary (% | squared | cubed | 的平方根 | 开方 ...)*
    primary  := NUMBER | ( expr )

Chinese "a除b" is read the colloquial way, a ÷ b (the textbook reading is b ÷ a). Numbers are read
with ``ting.values.parse_number``, so "twenty five", 三百二十五, 两千五 and "1.5 million" all work.
Errors raise ``MathError`` whose ``reason`` names the reply: ``not_math``, ``divide_by_zero``,
``too_big`` or ``negative_root``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from types import MappingProxyType

from ting.errors import InputError
from ting.values import parse_number

Number = int | float
LIMIT = 1e100
"""Results (and intermediate values) beyond this are too big to say."""
_MAX_NUMBER_CHUNKS = 12


class MathError(InputError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Num:
    value: Number


@dataclass(frozen=True)
class Unary:
    op: str
    """neg, sqrt, cbrt, square, cube, percent"""
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    """+, -, *, /, ^, of"""
    left: Node
    right: Node


Node = Num | Unary | Binary

# Operator phrases -> token kinds. English phrases are words; Chinese ones are characters.
_PHRASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "+": "ADD", "plus": "ADD", "加": "ADD", "加上": "ADD", "再加": "ADD", "再加上": "ADD",
        "-": "SUB", "minus": "SUB", "less": "SUB", "take away": "SUB", "negative": "SUB",
        "减": "SUB", "减去": "SUB", "减掉": "SUB", "再减": "SUB", "再减去": "SUB", "负": "SUB",
        "*": "MUL", "×": "MUL", "x": "MUL", "times": "MUL", "multiplied by": "MUL",
        "multiply by": "MUL", "乘": "MUL", "乘以": "MUL", "乘上": "MUL", "再乘": "MUL",
        "再乘以": "MUL", "·": "MUL",
        "/": "DIV", "÷": "DIV", "divided by": "DIV", "divide by": "DIV", "over": "DIV",
        "除以": "DIV", "除": "DIV", "再除以": "DIV",
        "^": "POW", "**": "POW", "to the power of": "POW", "to the power": "POW",
        "raised to the power of": "POW", "raised to": "POW", "to the": "POW", "power of": "POW",
        "的": "OF", "of": "OF",
        "次方": "CIFANG", "次幂": "CIFANG", "th power": "CIFANG", "power": "CIFANG",
        "%": "PCT", "percent": "PCT", "per cent": "PCT", "pct": "PCT", "百分之": "PCT_PRE",
        "square root of": "SQRT", "square root": "SQRT", "root of": "SQRT", "sqrt": "SQRT",
        "the square root of": "SQRT", "根号": "SQRT", "平方根": "SQRT", "开根号": "SQRT_POST",
        "cube root of": "CBRT", "the cube root of": "CBRT", "立方根": "CBRT",
        "的平方根": "SQRT_POST", "开方": "SQRT_POST", "开平方": "SQRT_POST",
        "开平方根": "SQRT_POST",
        "的立方根": "CBRT_POST", "开立方": "CBRT_POST",
        "squared": "SQUARE", "的平方": "SQUARE", "平方": "SQUARE",
        "cubed": "CUBE", "的立方": "CUBE", "立方": "CUBE",
        "(": "LPAREN", "（": "LPAREN", ")": "RPAREN", "）": "RPAREN",
        "add": "VERB_ADD", "subtract": "VERB_SUB", "multiply": "VERB_MUL", "divide": "VERB_DIV",
        "and": "LINK", "to": "LINK", "from": "LINK", "by": "LINK", "with": "LINK", "into": "LINK",
    }
)  # fmt: skip
_FILLER_WORDS = (
    "what what's whats is are how much many equals equal equal's does do make makes the a an "
    "please calculate compute work out tell me figure get you can could would i hey ting so ok "
    "okay um uh if then answer result quick quickly that's be th st nd rd "
    "等 于 等于 是 多 少 多少 几 得 吗 呢 啊 吧 呀 请 帮 我 算 算算 一下 下 计 计算 出 来 结 果 "
    "能 不 能 告 诉 你 给 = ? ？ 等于几 的话"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
_CHUNK = re.compile(
    r"\d[\d,]*(?:\.\d+)?"  # 1,000 / 3.5
    r"|[a-z]+(?:'[a-z]+)?"  # words, what's
    r"|\*\*|[+\-*/×÷^()%=·（）?？]"  # symbols
    r"|[^\sa-z\d]"  # any other single character (CJK)
)
_IGNORED = set(",.!;:，。！；：、\"'“”")


def _chunks(text: str) -> list[str]:
    folded = text.lower().replace("’", "'")
    return [c for c in _CHUNK.findall(folded) if c not in _IGNORED]


def _join(chunks: list[str]) -> str:
    """Chunks as text again: a space between two Latin words or numbers, none next to CJK."""
    out = ""
    for chunk in chunks:
        if out and _latin(out[-1]) and _latin(chunk[0]):
            out += " "
        out += chunk
    return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


_LONGEST_PHRASE = max(len(_chunks(p)) for p in _PHRASES)
_PHRASE_CHUNKS = MappingProxyType({tuple(_chunks(p)): kind for p, kind in _PHRASES.items()})


@dataclass(frozen=True)
class Token:
    kind: str
    value: Number = 0


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; fillers ("what is", 等于多少) are dropped. Raises ``MathError`` for
    words that are neither numbers, operators nor fillers."""
    chunks = _chunks(text)
    tokens: list[Token] = []
    i = 0
    while i < len(chunks):
        step = _operator_at(chunks, i, tokens)
        if step is not None:
            i += step
            continue
        number = _number_at(chunks, i)
        if number is not None:
            size, value = number
            tokens.append(Token("NUM", value))
            i += size
            continue
        if chunks[i] in _FILLER:
            i += 1
            continue
        raise MathError("not_math")
    return tokens


def _phrase_at(chunks: list[str], i: int) -> tuple[int, str] | None:
    """(length in chunks, token kind) of the longest operator phrase at ``i``."""
    for size in range(min(_LONGEST_PHRASE, len(chunks) - i), 0, -1):
        kind = _PHRASE_CHUNKS.get(tuple(chunks[i : i + size]))
        if kind is not None:
            return size, kind
    return None


def _operator_at(chunks: list[str], i: int, tokens: list[Token]) -> int | None:
    """Append the operator phrase at ``i``, if any, and return its length in chunks."""
    found = _phrase_at(chunks, i)
    if found is None:
        return None
    tokens.append(Token(found[1]))
    return found[0]


def _number_at(chunks: list[str], i: int) -> tuple[int, Number] | None:
    for size in range(min(_MAX_NUMBER_CHUNKS, len(chunks) - i), 0, -1):
        part = chunks[i : i + size]
        if any(p in _PHRASES and p != "and" for p in part[1:]):
            continue  # "one hundred and eight" is a number, "twelve times seven" is not
        value = parse_number(_join(part))
        if value is not None and not isinstance(value, bool):
            return size, value
    return None


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> str:
        at = self.pos + offset
        return self.tokens[at].kind if at < len(self.tokens) else "END"

    def take(self, *kinds: str) -> Token | None:
        if self.peek() in kinds:
            self.pos += 1
            return self.tokens[self.pos - 1]
        return None

    def sentence(self) -> Node:
        verb = self.take("VERB_ADD", "VERB_SUB", "VERB_MUL", "VERB_DIV")
        if verb is None:
            node = self.expr()
        else:
            first = self.expr()
            if self.take("LINK", "ADD", "MUL", "SUB", "DIV") is None:
                raise MathError("not_math")
            second = self.expr()
            match verb.kind:
                case "VERB_ADD":
                    node = Binary("+", first, second)
                case "VERB_SUB":  # "subtract 3 from 10"
                    node = Binary("-", second, first)
                case "VERB_MUL":
                    node = Binary("*", first, second)
                case _:
                    node = Binary("/", first, second)
        if self.peek() != "END":
            raise MathError("not_math")
        return node

    def expr(self) -> Node:
        node = self.term()
        while (op := self.take("ADD", "SUB")) is not None:
            node = Binary("+" if op.kind == "ADD" else "-", node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        symbols = {"MUL": "*", "DIV": "/", "OF": "of"}
        while (op := self.take(*symbols)) is not None:
            node = Binary(symbols[op.kind], node, self.unary())
        return node

    def unary(self) -> Node:
        prefixes = {"SUB": "neg", "ADD": "", "SQRT": "sqrt", "CBRT": "cbrt", "PCT_PRE": "percent"}
        op = self.take(*prefixes)
        if op is None:
            return self.power()
        operand = self.unary()
        return operand if op.kind == "ADD" else Unary(prefixes[op.kind], operand)

    def power(self) -> Node:
        base = self.postfix()
        if self.take("POW") is not None:
            node = Binary("^", base, self.unary())
            self.take("CIFANG")  # "2 to the 10th power"
            return node
        if self.peek() == "OF":
            saved = self.pos
            self.pos += 1
            exponent = self.unary()
            if self.take("CIFANG") is not None:
                return Binary("^", base, exponent)
            self.pos = saved
        return base

    def postfix(self) -> Node:
        node = self.primary()
        suffixes = {
            "PCT": "percent", "SQUARE": "square", "CUBE": "cube", "SQRT_POST": "sqrt",
            "CBRT_POST": "cbrt",
        }  # fmt: skip
        while (op := self.take(*suffixes)) is not None:
            node = Unary(suffixes[op.kind], node)
        return node

    def primary(self) -> Node:
        token = self.take("NUM")
        if token is not None:
            return Num(token.value)
        if self.take("LPAREN") is not None:
            node = self.expr()
            if self.take("RPAREN") is None:
                raise MathError("not_math")
            return node
        raise MathError("not_math")


def parse(text: str) -> Node:
    """The expression ``text`` says; ``MathError("not_math")`` when it says none."""
    tokens = tokenize(text)
    if not any(t.kind == "NUM" for t in tokens):
        raise MathError("not_math")
    return _Parser(tokens).sentence()


def evaluate(node: Node) -> Number:
    """The value of ``node``; ``MathError`` for division by zero, roots of negative numbers and
    results too big to say."""
    match node:
        case Num(value):
            result = value
        case Unary(op, operand):
            result = _unary(op, evaluate(operand))
        case Binary(op, left, right):
            result = _binary(op, evaluate(left), evaluate(right))
    if (isinstance(result, float) and not math.isfinite(result)) or abs(result) > LIMIT:
        raise MathError("too_big")
    return result


def _unary(op: str, x: Number) -> Number:
    match op:
        case "neg":
            return -x
        case "percent":
            return x / 100
        case "square":
            return _binary("^", x, 2)
        case "cube":
            return _binary("^", x, 3)
        case "sqrt":
            if x < 0:
                raise MathError("negative_root")
            root = math.isqrt(x) if isinstance(x, int) else -1
            return root if root * root == x else math.sqrt(x)
        case _:  # cbrt
            real = math.pow(abs(x), 1 / 3)
            whole = round(real)
            value: Number = whole if isinstance(x, int) and whole**3 == abs(x) else real
            return -value if x < 0 else value


def _binary(op: str, a: Number, b: Number) -> Number:
    match op:
        case "+":
            return a + b
        case "-":
            return a - b
        case "*" | "of":
            return a * b
        case "/":
            if b == 0:
                raise MathError("divide_by_zero")
            if isinstance(a, int) and isinstance(b, int) and a % b == 0:
                return a // b
            return a / b
        case _:  # ^
            return _power(a, b)


def _power(a: Number, b: Number) -> Number:
    if a == 0 and b < 0:
        raise MathError("divide_by_zero")
    if a < 0 and not float(b).is_integer():
        raise MathError("negative_root")
    if abs(a) > 1 and b * math.log10(abs(a)) > math.log10(LIMIT):
        raise MathError("too_big")
    if isinstance(a, int) and isinstance(b, int) and b >= 0:
        whole: int = a**b
        return whole
    return math.pow(a, b)


def calculate(text: str) -> tuple[Node, Number]:
    """Parse and evaluate ``text``."""
    node = parse(text)
    return node, evaluate(node)
