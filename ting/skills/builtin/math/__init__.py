"""Math: spoken arithmetic and unit conversion, in English, Chinese or both at once.

``MathCalculate`` templates anchor on an operator word, so free text alone never reaches this
skill; the slot after the operator names it (``plus``, ``minus``, ``times``, ``divided``,
``power``, ``from`` for "subtract 3 from 10", ``root``, ``cube_root``, ``squared``, ``cubed``),
``expression`` holds what came before it, and the handler writes the whole expression again
(``OPERATOR_FORMS``) for the parser in ``expression``; ``percent`` of ``base`` is "15% of 80".
``UnitConvert`` converts ``amount`` (1 when not said) of ``from_unit`` into ``to_unit`` with
the table in ``units.yaml``. Pure answers: no actions.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from ting.skills.base import Fragment, IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.math.expression import (
    Binary,
    MathError,
    Node,
    Num,
    Unary,
    evaluate,
    parse,
)
from ting.skills.builtin.math.speech import percent_first, render, spoken
from ting.skills.builtin.math.units import UnitError, convert, unit

OPERATOR_FORMS = MappingProxyType(
    {
        "plus": "{left} + {right}", "minus": "{left} - {right}", "times": "{left} * {right}",
        "divided": "{left} / {right}", "power": "{left} ^ {right}", "from": "({right}) - ({left})",
        "root": "{left} sqrt {right}", "cube_root": "{left} cube root of {right}",
        "squared": "{left} {right} squared", "cubed": "{left} {right} cubed",
    }
)  # fmt: skip
"""Operator slot -> the expression it makes with ``expression`` (left) and its own words."""


def expression_text(request: IntentRequest) -> str:
    """The arithmetic the user said, written again from the slots."""
    left = request.slots["expression"].text if "expression" in request.slots else ""
    for name, form in OPERATOR_FORMS.items():
        if name in request.slots:
            return form.format(left=left, right=request.slots[name].text).strip()
    return left


class MathSkill(Skill):
    name = "math"

    @handles("MathCalculate")
    async def calculate(self, request: IntentRequest) -> SkillReply:
        try:
            node = self._expression(request)
            value = evaluate(node)
        except MathError as err:
            return self.reply(err.reason)
        return self.reply("answer", expression=render(percent_first(node)), result=spoken(value))

    @staticmethod
    def _expression(request: IntentRequest) -> Node:
        percent = request.slot("percent")
        if percent is None:
            return parse(expression_text(request))
        base = request.slot("base")
        if base is None:
            raise MathError("not_math")
        return Binary("of", Unary("percent", Num(_whole(percent.value))), Num(base))

    @handles("UnitConvert")
    async def convert_units(self, request: IntentRequest) -> SkillReply:
        source_id: str | None = request.slot("from_unit")
        target_id: str | None = request.slot("to_unit")
        amount: int | float | None = request.slot("amount")
        if source_id is None:
            return self.ask("from_unit", "ask_from_unit")
        source = unit(source_id)
        if amount is None and source.kind == "temperature":
            return self.ask("amount", "ask_amount", unit=source.name(request.language, 2))
        amount = 1 if amount is None else amount
        if target_id is None:
            from_name = source.name(request.language, amount)
            return self.ask("to_unit", "ask_to_unit", amount=amount, unit=from_name)
        try:
            result, source, target = convert(float(amount), source, unit(target_id))
        except UnitError as err:
            return self.reply(err.reason, **_kinds(err, request.language))
        said = spoken(result, decimals=2, significant=3)
        return self.reply(
            "converted",
            amount=spoken(amount),
            from_unit=source.name(request.language, amount),
            result=said,
            to_unit=target.name(request.language, result if isinstance(said, Fragment) else said),
        )


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _kinds(err: UnitError, language: str) -> dict[str, Any]:
    return {
        "from_unit": err.source.name(language, 2),
        "to_unit": err.target.name(language, 2),
        "from_kind": Fragment(f"kind_{err.source.kind}"),
        "to_kind": Fragment(f"kind_{err.target.kind}"),
    }
