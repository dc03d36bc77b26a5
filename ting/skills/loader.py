"""Finding skills and checking that each one is whole.

Skills are found through the ``ting.skills`` entry-point group (third-party skills register there
too) or handed in explicitly. Loading fails fast with ``SkillLoadError`` when a skill's handlers and
its declared intents differ, when a language's files are missing, or when the response files of the
two languages do not define the same keys.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import yaml

from ting.errors import SkillLoadError
from ting.nlu.data import read_intent_file, read_mapping, validate_domain
from ting.nlu.domain import NluDomain
from ting.nlu.types import SUPPORTED_LANGUAGES
from ting.skills.base import Skill
from ting.skills.responses import SkillTexts, load_texts
from ting.yamlfile import read_yaml

_LOGGER = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "ting.skills"
"""Third-party skills register their Skill class under this entry-point group."""


@dataclass(frozen=True)
class SkillPackage:
    """A skill class with its texts and intent files, checked and ready to instantiate."""

    skill_class: type[Skill]
    texts: dict[str, SkillTexts]
    intent_files: tuple[Path, ...]

    @property
    def name(self) -> str:
        return self.skill_class.name


def discover_skill_classes() -> list[type[Skill]]:
    """The built-in skills (every package under ``ting/skills/builtin``), system first, then
    skills that other packages register under the ``ting.skills`` entry-point group."""
    builtin = builtin_skill_names()
    found: list[type[Skill]] = [_skill_in(f"ting.skills.builtin.{name}") for name in builtin]
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = entry.load()
        except Exception as err:
            message = f"skill entry point {entry.name!r} failed to import: {err}"
            raise SkillLoadError(message) from err
        if not (isinstance(loaded, type) and issubclass(loaded, Skill)):
            raise SkillLoadError(f"entry point {entry.name!r} is not a Skill subclass")
        if loaded not in found:
            found.append(loaded)
    return found


def builtin_skill_names() -> list[str]:
    folder = Path(__file__).parent / "builtin"
    names = sorted(
        p.name for p in folder.iterdir() if (p / "__init__.py").is_file() and p.name != "system"
    )
    return ["system", *names]


def _skill_in(module_name: str) -> type[Skill]:
    """The one Skill subclass a built-in skill package defines."""
    module = importlib.import_module(module_name)
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Skill)
        and value is not Skill
        and value.__module__.startswith(module_name)
    ]
    if len(classes) != 1:
        raise SkillLoadError(f"{module_name} must define exactly one Skill, found {len(classes)}")
    return classes[0]


def load_skill_packages(classes: Iterable[type[Skill]]) -> list[SkillPackage]:
    packages = [_load_package(cls) for cls in classes]
    names = [p.name for p in packages]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SkillLoadError(f"two skills share the name(s) {sorted(duplicates)}")
    return packages


def build_domain(packages: Sequence[SkillPackage]) -> NluDomain:
    """All skills' intent files as one NLU domain, checked against each skill's handlers."""
    parts: list[NluDomain] = []
    for package in packages:
        for path in package.intent_files:
            if path.stem in SUPPORTED_LANGUAGES:
                parts.append(read_intent_file(path, package.name))
            else:
                parts.extend(_shared_lists(path, package.name))
    domain = validate_domain(NluDomain.merge(parts), None)
    for package in packages:
        _check_handlers(package, domain)
    return domain


def _shared_lists(path: Path, skill: str) -> list[NluDomain]:
    """An intent folder's other files (``cities.yaml``) hold lists that serve both languages."""
    try:
        data = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as err:
        raise SkillLoadError(f"{path}: cannot read: {err}") from err
    if not isinstance(data, dict) or set(data) - {"lists"}:
        raise SkillLoadError(f"{path}: a shared file may only hold 'lists'")
    return [
        read_mapping({"language": language, **data}, skill, str(path))
        for language in SUPPORTED_LANGUAGES
    ]


def _load_package(cls: type[Skill]) -> SkillPackage:
    if not cls.name:
        raise SkillLoadError(f"{cls.__qualname__} has no 'name'")
    folder = cls.folder()
    texts: dict[str, SkillTexts] = {}
    for language in SUPPORTED_LANGUAGES:
        path = folder / "responses" / f"{language}.yaml"
        if not path.is_file():
            raise SkillLoadError(f"skill {cls.name!r} has no responses for {language!r}: {path}")
        texts[language] = load_texts(path)
    keys = {lang: set(t.responses) for lang, t in texts.items()}
    first = keys[SUPPORTED_LANGUAGES[0]]
    for language, language_keys in keys.items():
        if language_keys != first:
            raise SkillLoadError(
                f"skill {cls.name!r}: responses differ between languages: "
                f"{sorted(first ^ language_keys)} ({language})"
            )
    intent_dir = folder / "intents"
    intent_files = tuple(sorted(intent_dir.glob("*.yaml")))
    for language in SUPPORTED_LANGUAGES:
        if not (intent_dir / f"{language}.yaml").is_file():
            raise SkillLoadError(f"skill {cls.name!r} has no intents for {language!r}")
    return SkillPackage(skill_class=cls, texts=texts, intent_files=intent_files)


def _check_handlers(package: SkillPackage, domain: NluDomain) -> None:
    cls = package.skill_class
    handled = set(cls.handlers()) | set(getattr(cls, "dialog_intents", ()))
    for language in SUPPORTED_LANGUAGES:
        declared = {spec.name for spec in domain.intents(language) if spec.skill == cls.name}
        if declared != handled:
            missing = sorted(declared - handled)
            extra = sorted(handled - declared)
            raise SkillLoadError(
                f"skill {cls.name!r} ({language}): intents without a handler {missing}, "
                f"handlers without intents {extra}"
            )
