"""The math skill's expression parser, evaluator and spoken rounding."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ting.skills.base import Fragment
from ting.skills.builtin.math.expression import (
    Binary,
    MathError,
    Num,
    Unary,
    calculate,
    evaluate,
    parse,
)
from ting.skills.builtin.math.speech import percent_first, render, rounded, spoken


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 plus 4 times 2", 11),
        ("(3 + 4) * 2", 14),
        ("10 minus 4 minus 3", 3),
        ("100 divided by 10 divided by 5", 2),
        ("2 to the power of 3 to the power of 2", 512),
        ("-2^2", -4),
        ("2 ^ -1", 0.5),
        ("what is 15% of 80", 12),
        ("15 percent of 80", 12),
        ("half of 10", 5),
        ("divide 100 by 8", 12.5),
        ("subtract 3 from 10", 7),
        ("multiply 12 by 7", 84),
        ("add one and two", 3),
        ("one hundred and eight plus 2", 110),
        ("square root of 144", 12),
        ("the square root of 144 plus 1", 13),
        ("5 squared", 25),
        ("3 plus 4 squared", 19),
        ("3 cubed", 27),
        ("the cube root of 27", 3),
        ("2 to the 10th power", 1024),
        ("what is 三百 plus 5", 305),
        ("三百二十五除以五", 65),
        ("十二乘以七等于多少", 84),
        ("一百减去三十七", 63),
        ("二的十次方", 1024),
        ("144的平方根", 12),
        ("八十一开方", 9),
        ("根号 16", 4),
        ("80的15%", 12),
        ("百分之十五乘以八十", 12),
        ("负八的立方根", -2),
        ("两千五加五百", 3000),
        ("三点五乘以二", 7),
        ("12 × 7", 84),
        ("12*7", 84),
        ("1.5 million divided by 3", 500000),
    ],
)
def test_calculates(text: str, expected: float) -> None:
    _, value = calculate(text)
    assert value == pytest.approx(expected)


def test_precedence_builds_the_right_tree() -> None:
    assert parse("3 plus 4 times 2") == Binary("+", Num(3), Binary("*", Num(4), Num(2)))
    assert parse("8 minus 2 minus 1") == Binary("-", Binary("-", Num(8), Num(2)), Num(1))
    assert parse("2^3^2") == Binary("^", Num(2), Binary("^", Num(3), Num(2)))


def test_whole_results_stay_whole() -> None:
    assert calculate("325 divided by 5")[1] == 65
    assert isinstance(calculate("325 divided by 5")[1], int)
    assert calculate("2 to the power of 100")[1] == 2**100


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("10 divided by 0", "divide_by_zero"),
        ("0 to the power of -1", "divide_by_zero"),
        ("2 to the power of 5000", "too_big"),
        ("10 ^ 10 ^ 10", "too_big"),
        ("square root of -4", "negative_root"),
        ("(-8) to the power of 0.5", "negative_root"),
        ("the weather", "not_math"),
        ("", "not_math"),
        ("3 plus", "not_math"),
        ("3 plus banana", "not_math"),
        ("(3 plus 4", "not_math"),
        ("divide 3", "not_math"),
    ],
)
def test_errors_name_their_reply(text: str, reason: str) -> None:
    with pytest.raises(MathError) as caught:
        calculate(text)
    assert caught.value.reason == reason


@given(st.text(max_size=60))
def test_never_crashes_on_garbage(text: str) -> None:
    try:
        node = parse(text)
        evaluate(node)
    except MathError:
        pass


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_sums_and_products_of_integers(a: int, b: int) -> None:
    assert calculate(f"{a} + {b}")[1] == a + b
    assert calculate(f"{a} times {b}")[1] == a * b
    if b:
        assert calculate(f"{a} divided by {b}")[1] == pytest.approx(a / b)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(65.0, 65), (12.5, 12.5), (1 / 3, 0.3333), (10 / 3, 3.3333), (0.1 + 0.2, 0.3),
     (1 / 7000, 0.0001429), (-2 / 3, -0.6667)],
)  # fmt: skip
def test_rounded(value: float, expected: float) -> None:
    assert rounded(value) == expected


def test_spoken_uses_scientific_form_out_of_range() -> None:
    assert spoken(10**20) == Fragment("scientific", {"mantissa": 1, "exponent": 20})
    assert spoken(1.5e-9) == Fragment("scientific", {"mantissa": 1.5, "exponent": -9})
    assert spoken(123456) == 123456


def test_render_groups_looser_parts_and_puts_percent_first() -> None:
    node = percent_first(parse("80的15%"))
    assert node == Binary("of", Unary("percent", Num(15)), Num(80))
    grouped = render(parse("(3 + 4) * 2"))
    assert isinstance(grouped, Fragment) and grouped.key == "expr_mul"
    left = grouped.values["left"]
    assert isinstance(left, Fragment) and left.key == "expr_group"
    assert render(parse("3 + 4 * 2")) == Fragment(
        "expr_add",
        {"left": 3, "right": Fragment("expr_mul", {"left": 4, "right": 2})},
    )
    assert math.isclose(evaluate(node), 12)
