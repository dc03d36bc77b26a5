"""What a skill is: a class whose methods handle intents, plus its data files.

A skill lives in a folder::

    timers/
        __init__.py          the Skill subclass (handlers marked with @handles)
        intents/en.yaml      sentence templates, examples, slots, lists (see ting.nlu.data)
        intents/zh.yaml
        responses/en.yaml    reply templates, a description and example commands for "help"
        responses/zh.yaml
        tests/en.yaml        utterance -> intent + slots -> facts about the reply and the actions
        tests/zh.yaml

Handlers get an ``IntentRequest`` and return a ``SkillReply`` built with ``reply``, ``ask`` or
``confirm``. Replies name response templates; they never hold user-facing strings in code.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from ting.nlu.types import ParseContext, SlotValue, all_values

if TYPE_CHECKING:
    from ting.skills.responses import SkillTexts
    from ting.store.base import Store
    from ting.store.records import Notification, ScheduledItem


@dataclass(frozen=True)
class Scope:
    """Who is talking, on which speaker of which household."""

    household_id: str = "home"
    device_id: str = "local"
    user_id: str | None = None

    @property
    def conversation_key(self) -> str:
        return f"{self.household_id}/{self.device_id}/{self.user_id or '-'}"


@dataclass(frozen=True)
class Action:
    """Something the turn did or asks a device to do (``timer.start``, ``media.stop`` ...)."""

    type: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **self.data}


@dataclass(frozen=True)
class Fragment:
    """A piece of a reply rendered from another response template of the same skill, e.g. one
    line per timer in "You have 2 timers: {timers}"; lists of fragments are joined per language."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expectation:
    """What Ting waits for after asking a question."""

    kind: Literal["slot", "confirm"]
    prompt_key: str
    slot: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SkillReply:
    key: str
    """Response template key in the skill's responses file."""
    values: Mapping[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    expect: Expectation | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    """Data a follow-up turn may need (the id of the timer just set, the city asked about)."""


@dataclass(frozen=True)
class PreviousTurn:
    intent: str
    skill: str
    slots: Mapping[str, SlotValue]
    context: Mapping[str, Any]


@dataclass(frozen=True)
class IntentRequest:
    intent: str
    slots: Mapping[str, SlotValue]
    language: str
    parse_context: ParseContext
    scope: Scope
    confirmed: bool = False
    """The user said yes to this skill's confirmation question."""
    revision: bool = False
    """The user is changing the previous request ("make it ten minutes", "改成十分钟")."""
    previous: PreviousTurn | None = None
    source: str = "template"
    """How the intent was found: "template" (a sentence template matched), "model" (the
    statistical model guessed), "context" (a follow-up). A skill whose action is hard to take
    back (an announcement in every room) may confirm a guess."""
    more: tuple[SlotValue, ...] = ()
    """Further values of slots the examples annotate more than once ("play [adele](artist) and
    [queen](artist)"), in the order spoken; ``slots`` holds each slot's most confident value."""

    @property
    def now(self) -> datetime:
        return self.parse_context.now

    def slot(self, name: str, default: Any = None) -> Any:
        found = self.slots.get(name)
        return default if found is None else found.value

    def values(self, name: str) -> list[Any]:
        """Every value of slot ``name``: the one in ``slots``, then those in ``more``."""
        return all_values(self.slots, self.more, name)

    def has(self, name: str) -> bool:
        return name in self.slots


@dataclass(frozen=True)
class SkillServices:
    """What the assistant hands to every skill (injected, never global)."""

    store: Store
    wake_scheduler: Callable[[], None]
    """Call after adding or moving a scheduled item."""
    skill_texts: Callable[[str], Mapping[str, SkillTexts]]
    """Every loaded skill's description and examples in a language (for "what can you do")."""


Handler = Callable[[Any, IntentRequest], Awaitable[SkillReply]]
_F = TypeVar("_F", bound=Callable[..., Any])
_INTENTS_ATTR = "_ting_intents"


def handles(*intents: str) -> Callable[[_F], _F]:
    """Mark an async method as the handler of one or more intents."""

    def mark(method: _F) -> _F:
        if not inspect.iscoroutinefunction(method):
            raise TypeError(f"{method.__qualname__} must be 'async def' to handle intents")
        setattr(method, _INTENTS_ATTR, (*getattr(method, _INTENTS_ATTR, ()), *intents))
        return method

    return mark


class Skill:
    """Base class of skills. Subclasses set ``name`` and mark handlers with ``@handles``."""

    name: ClassVar[str] = ""
    kinds: ClassVar[tuple[str, ...]] = ()
    """Kinds of scheduled items this skill owns (``timer``, ``alarm``...): it renders them."""

    def __init__(self, services: SkillServices) -> None:
        self.services = services

    @classmethod
    def folder(cls) -> Path:
        return Path(inspect.getfile(cls)).parent

    @classmethod
    def handlers(cls) -> dict[str, str]:
        """Intent name -> method name, from the ``@handles`` marks."""
        found: dict[str, str] = {}
        for attr, member in inspect.getmembers(cls, inspect.isfunction):
            for intent in getattr(member, _INTENTS_ATTR, ()):
                found[intent] = attr
        return found

    async def handle(self, request: IntentRequest) -> SkillReply:
        method = getattr(self, self.handlers()[request.intent])
        reply: SkillReply = await method(request)
        return reply

    async def on_notification(self, notification: Notification) -> SkillReply:
        """Words for a scheduled item of this skill that fired; skills with ``kinds`` override."""
        raise NotImplementedError(f"skill {self.name!r} does not own scheduled items")

    def next_occurrence(self, item: ScheduledItem, after: datetime) -> datetime | None:
        """The next time a recurring item of this skill rings after ``after``; None ends it."""
        return None

    @staticmethod
    def reply(
        key: str,
        *,
        actions: tuple[Action, ...] = (),
        context: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> SkillReply:
        return SkillReply(key=key, values=values, actions=actions, context=context or {})

    @staticmethod
    def ask(slot: str, key: str, **values: Any) -> SkillReply:
        """Ask the user for a missing slot; the next answer fills it and the intent runs again."""
        expect = Expectation(kind="slot", prompt_key=key, slot=slot, values=values)
        return SkillReply(key=key, values=values, expect=expect)

    @staticmethod
    def confirm(key: str, **values: Any) -> SkillReply:
        """Ask a yes/no question; on "yes" the intent runs again with ``confirmed=True``."""
        expect = Expectation(kind="confirm", prompt_key=key, values=values)
        return SkillReply(key=key, values=values, expect=expect)
