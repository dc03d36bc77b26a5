"""The math skill's unit table (data) and conversions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ting.skills.builtin.math.units import UnitError, convert, load_units, unit

FOLDER = Path(__file__).resolve().parents[2] / "ting" / "skills" / "builtin" / "math"
UNITS = load_units()


def _synonyms() -> dict[str, list[str]]:
    raw = yaml.safe_load((FOLDER / "intents" / "units.yaml").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for entry in raw["lists"]["math_unit"]["values"]:
        found.setdefault(entry["out"], []).extend(entry["in"])
    return found


def test_every_unit_has_names_and_every_name_a_unit() -> None:
    synonyms = _synonyms()
    assert set(synonyms) == set(UNITS)
    said = [word for words in synonyms.values() for word in words]
    assert len(said) == len(set(said)), "a word names two units"
    assert "in" not in said


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        (1, "jin", "g", 500),
        (1, "liang", "g", 50),
        (1, "kg", "jin", 2),
        (1, "li", "m", 500),
        (3, "km", "li", 6),
        (1, "mu", "m2", 666.6667),
        (1, "hectare", "mu", 15),
        (3, "chi", "m", 1),
        (1, "chi", "cun", 10),
        (1, "zhang", "chi", 10),
        (1, "l", "ml", 1000),
        (3, "kg", "lb", 6.6139),
        (100, "fahrenheit", "celsius", 37.7778),
        (-40, "celsius", "fahrenheit", -40),
        (0, "celsius", "kelvin", 273.15),
        (32, "fahrenheit", "kelvin", 273.15),
        (5, "mile", "km", 8.0467),
        (1, "l", "cup", 4.2268),
        (1, "cup", "tbsp", 16),
        (1, "tbsp", "tsp", 3),
        (1, "gallon", "quart", 4),
        (1, "quart", "pint", 2),
        (1, "cup", "floz", 8),
        (1, "gb", "mb", 1000),
        (1, "gib", "mib", 1024),
        (1, "day", "second", 86400),
        (100, "kmh", "mph", 62.1371),
        (1, "knot", "kmh", 1.852),
    ],
)
def test_conversions(amount: float, source: str, target: str, expected: float) -> None:
    result, _, _ = convert(amount, unit(source), unit(target))
    assert result == pytest.approx(expected, rel=1e-4)


def test_ounces_of_a_cup_are_fluid_ounces() -> None:
    result, source, target = convert(1, unit("cup"), unit("oz"))
    assert (source.id, target.id) == ("cup", "floz")
    assert result == pytest.approx(8)


def test_incompatible_kinds_and_absolute_zero() -> None:
    with pytest.raises(UnitError) as caught:
        convert(5, unit("kg"), unit("m"))
    assert caught.value.reason == "incompatible"
    assert (caught.value.source.kind, caught.value.target.kind) == ("mass", "length")
    with pytest.raises(UnitError) as cold:
        convert(-500, unit("celsius"), unit("kelvin"))
    assert cold.value.reason == "below_absolute_zero"


def test_names_per_language() -> None:
    assert unit("kg").name("en", 1) == "kilogram"
    assert unit("kg").name("en", 3) == "kilograms"
    assert unit("foot").name("en", 2) == "feet"
    assert unit("jin").name("zh", 10) == "斤"


_PAIRS = [(a, b) for a in UNITS.values() for b in UNITS.values() if a.kind == b.kind]


@given(st.sampled_from(_PAIRS), st.floats(0.001, 1e6))
def test_round_trip_is_identity(pair: tuple[object, object], amount: float) -> None:
    source, target = UNITS[pair[0].id], UNITS[pair[1].id]  # type: ignore[attr-defined]
    there, _, _ = convert(amount, source, target)
    back, _, _ = convert(there, target, source)
    assert back == pytest.approx(amount, rel=1e-9)
