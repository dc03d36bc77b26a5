"""Numbers and expressions in the form a reply speaks them.

Answers are rounded for the ear: whole numbers stay whole; others keep ``decimals`` places when
at least 1 and ``significant`` digits when below 1 (1/3 -> 0.3333, 1/7000 -> 0.0001429); very
large or very small numbers become "1.23 times ten to the power of 15" (a ``scientific``
fragment). Expressions are rendered as nested fragments of the responses file (``expr_add`` ...).
"""

from __future__ import annotations

import math

from ting.skills.base import Fragment
from ting.skills.builtin.math.expression import Binary, Node, Num, Number, Unary

LARGEST_PLAIN = 1e15
"""From here on numbers are said in scientific form."""
SMALLEST_PLAIN = 1e-4
_BINARY_KEYS = {"+": "expr_add", "-": "expr_sub", "*": "expr_mul", "/": "expr_div",
                "^": "expr_pow", "of": "expr_of"}  # fmt: skip
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "of": 2, "^": 3}


def rounded(value: Number, *, decimals: int = 4, significant: int = 4) -> Number:
    """``value`` rounded for speaking (see the module docstring)."""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < LARGEST_PLAIN):
        return int(value)
    magnitude = abs(value)
    if magnitude >= 1:
        result = round(value, decimals)
    else:
        result = round(value, significant - 1 - math.floor(math.log10(magnitude)))
    return int(result) if float(result).is_integer() else result


def spoken(value: Number, *, decimals: int = 4, significant: int = 4) -> Number | Fragment:
    """A number as a reply value: rounded, or a ``scientific`` fragment when out of range."""
    magnitude = abs(value)
    if magnitude >= LARGEST_PLAIN or 0 < magnitude < SMALLEST_PLAIN:
        exponent = math.floor(math.log10(magnitude))
        mantissa = rounded(value / 10**exponent, decimals=3)
        if abs(mantissa) >= 10:  # 9.9996 rounds up to 10
            mantissa, exponent = rounded(mantissa / 10, decimals=3), exponent + 1
        return Fragment("scientific", {"mantissa": mantissa, "exponent": exponent})
    return rounded(value, decimals=decimals, significant=significant)


def percent_first(node: Node) -> Node:
    """80的15% is said as "15% of 80": the percentage goes first in an "of"."""
    if isinstance(node, Binary) and node.op == "of":
        left, right = percent_first(node.left), percent_first(node.right)
        if _is_percent(right) and not _is_percent(left):
            left, right = right, left
        return Binary("of", left, right)
    return node


def _is_percent(node: Node) -> bool:
    return isinstance(node, Unary) and node.op == "percent"


def render(node: Node, parent: int = 0) -> Number | Fragment:
    """``node`` as nested fragments; a part that binds looser than its parent is grouped."""
    match node:
        case Num(value):
            return spoken(value)
        case Unary(op, operand):
            inner = render(operand, 4)
            return Fragment(f"expr_{op}", {"x": inner})
        case Binary(op, left, right):
            level = _PRECEDENCE[op]
            right_level = level + 1 if op in ("-", "/") else level
            fragment = Fragment(
                _BINARY_KEYS[op],
                {"left": render(left, level + (op == "^")), "right": render(right, right_level)},
            )
            return Fragment("expr_group", {"x": fragment}) if level < parent else fragment
    raise TypeError(f"not an expression node: {node!r}")
