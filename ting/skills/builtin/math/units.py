"""The unit table (``units.yaml``, data) and conversions between its units.

Every unit turns an amount into its kind's SI (or base) unit as ``amount * factor + offset``; the
offset makes temperature scales affine (Celsius and Fahrenheit to Kelvin) and is 0 elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ting.errors import ConfigError, InputError
from ting.yamlfile import read_yaml

TABLE = Path(__file__).with_name("units.yaml")


@dataclass(frozen=True)
class Unit:
    id: str
    kind: str
    factor: float
    offset: float
    names: Mapping[str, tuple[str, ...]]
    """Per language: English [singular, plural], Chinese [name]."""
    also: str | None = None
    """The unit of another kind the same word means (ounce -> fluid ounce)."""

    def name(self, language: str, amount: float) -> str:
        forms = self.names[language]
        return forms[0] if abs(amount) == 1 or len(forms) == 1 else forms[1]

    def to_base(self, amount: float) -> float:
        return amount * self.factor + self.offset

    def from_base(self, value: float) -> float:
        return (value - self.offset) / self.factor


class UnitError(InputError):
    """A conversion that cannot be done; ``reason`` names the reply."""

    def __init__(self, reason: str, source: Unit, target: Unit) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.target = target


def _number(raw: Any, where: str) -> float:
    try:
        return float(Fraction(str(raw)))
    except (ValueError, ZeroDivisionError) as err:
        raise ConfigError(f"{TABLE}: {where} is not a number: {raw!r}") from err


def _unit(unit_id: str, raw: Mapping[str, Any], kinds: set[str]) -> Unit:
    if raw.get("kind") not in kinds:
        raise ConfigError(f"{TABLE}: unit {unit_id!r} has an unknown kind {raw.get('kind')!r}")
    en, zh = raw.get("en"), raw.get("zh")
    if not (isinstance(en, list) and len(en) == 2 and isinstance(zh, str)):
        raise ConfigError(f"{TABLE}: unit {unit_id!r} needs en: [one, many] and zh: name")
    factor = _number(raw.get("factor"), f"{unit_id}.factor")
    if factor <= 0:
        raise ConfigError(f"{TABLE}: unit {unit_id!r} needs a positive factor")
    return Unit(
        id=unit_id,
        kind=str(raw["kind"]),
        factor=factor,
        offset=_number(raw.get("offset", 0), f"{unit_id}.offset"),
        names=MappingProxyType({"en": (str(en[0]), str(en[1])), "zh": (zh,)}),
        also=raw.get("also"),
    )


@cache
def load_units(path: Path = TABLE) -> Mapping[str, Unit]:
    """The unit table by id; raises ``ConfigError`` when the file is broken."""
    try:
        raw = read_yaml(path)
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the unit table: {err}") from err
    kinds = set(raw.get("kinds") or ())
    units = {str(key): _unit(str(key), value, kinds) for key, value in raw["units"].items()}
    for unit in units.values():
        if unit.also is not None and unit.also not in units:
            raise ConfigError(f"{path}: unit {unit.id!r}: 'also' names no unit: {unit.also!r}")
    return MappingProxyType(units)


def unit(unit_id: str) -> Unit:
    """A unit of the table; raises ``ConfigError`` for an id it does not hold."""
    found = load_units().get(unit_id)
    if found is None:
        raise ConfigError(f"no unit {unit_id!r} in {TABLE}")
    return found


def compatible(source: Unit, target: Unit) -> tuple[Unit, Unit] | None:
    """The pair to convert between, trying what the words also mean ("ounces" in "how many
    ounces in a cup" are fluid ounces); None when the kinds differ."""
    table = load_units()
    for a in (source, table.get(source.also or "")):
        for b in (target, table.get(target.also or "")):
            if a is not None and b is not None and a.kind == b.kind:
                return a, b
    return None


def convert(amount: float, source: Unit, target: Unit) -> tuple[float, Unit, Unit]:
    """``amount`` of ``source`` in ``target``, with the units actually used. Raises
    ``UnitError`` ("incompatible", "below_absolute_zero")."""
    pair = compatible(source, target)
    if pair is None:
        raise UnitError("incompatible", source, target)
    source, target = pair
    base = source.to_base(amount)
    if source.kind == "temperature" and base < -1e-9:
        raise UnitError("below_absolute_zero", source, target)
    return target.from_base(base), source, target
