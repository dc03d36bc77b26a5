"""Turn a span of an utterance into a typed slot value: list synonyms, number ranges, value
types (through the value backend) and free text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ting.lang import strip_punctuation
from ting.nlu.domain import TEXT_TYPE, SlotList
from ting.nlu.features import WORD_CLASS, ValueGazetteer
from ting.nlu.slot_values import ValueBackend
from ting.nlu.tokens import Utterance, words_of
from ting.nlu.types import ParseContext

__all__ = ["ListIndex", "SlotKind", "SlotResolver"]

SlotKind = Literal["list", "range", "value", "text"]
_MISSING = object()


@dataclass(frozen=True)
class ListIndex:
    """The synonyms of one list, by their words."""

    phrases: Mapping[tuple[str, ...], Any]
    longest: int

    @classmethod
    def build(cls, slot_list: SlotList) -> ListIndex:
        phrases: dict[tuple[str, ...], Any] = {}
        for entry in slot_list.entries:
            for synonym in entry.synonyms:
                words = words_of(synonym)
                if words:
                    phrases.setdefault(words, entry.value)
        return cls(phrases, max((len(p) for p in phrases), default=0))

    def ends(self, words: tuple[str, ...], start: int) -> list[tuple[int, Any]]:
        """``(end, value)`` for every synonym that starts at ``start``, longest first."""
        found = []
        for end in range(min(len(words), start + self.longest), start, -1):
            value = self.phrases.get(words[start:end], _MISSING)
            if value is not _MISSING:
                found.append((end, value))
        return found


class SlotResolver:
    """One language's slot types: its lists and the value types of the backend."""

    def __init__(self, lists: Mapping[str, SlotList], values: ValueBackend) -> None:
        self.lists = dict(lists)
        self.values = values
        self.value_types = values.types
        self.classes = ValueGazetteer.build(
            [
                (kind, words_of(phrase))
                for phrase, kinds in values.phrase_classes().items()
                for kind in kinds
            ],
            begin=WORD_CLASS,
            inside=WORD_CLASS + "I-",
        )
        """The backend's phrase classes as tagger marks (``W:weekday``, ``W:country``)."""
        self.indexes = {name: ListIndex.build(lst) for name, lst in lists.items()}

    def kind(self, slot_type: str) -> SlotKind:
        slot_list = self.lists.get(slot_type)
        if slot_list is not None:
            return "range" if slot_list.range is not None else "list"
        return "text" if slot_type == TEXT_TYPE else "value"

    def list_ends(
        self, slot_type: str, words: tuple[str, ...], start: int
    ) -> list[tuple[int, Any]]:
        return self.indexes[slot_type].ends(words, start)

    def read(self, slot_type: str, text: str, ctx: ParseContext) -> object | None:
        """The typed value of ``text`` for ``slot_type``, or None when it is not one."""
        match self.kind(slot_type):
            case "text":
                return text.strip() or None
            case "list":
                listed: object | None = self.indexes[slot_type].phrases.get(words_of(text))
                return listed
            case "range":
                return self._in_range(slot_type, text, ctx)
            case _:
                return self._parse(slot_type, text, ctx)

    def read_span(
        self, slot_type: str, utterance: Utterance, start: int, end: int, ctx: ParseContext
    ) -> object | None:
        return self.read(slot_type, utterance.span_text(start, end), ctx)

    def _parse(self, value_type: str, text: str, ctx: ParseContext) -> object | None:
        plain = strip_punctuation(text)
        return self.values.parse(value_type, plain, ctx) if plain else None

    def _in_range(self, slot_type: str, text: str, ctx: ParseContext) -> object | None:
        number = self._parse("number", text, ctx)
        number_range = self.lists[slot_type].range
        if not isinstance(number, int | float) or isinstance(number, bool) or number_range is None:
            return None
        if not number_range.contains(float(number)):
            return None
        return int(number) if float(number).is_integer() else float(number)
