"""The template matcher: every sentence template compiled once into a small automaton over
tokens, matched by dynamic programming (so backtracking is exhaustive and cheap), best match
= the most literal characters, then the most words inside typed (list and value) slots.

Candidates are prefiltered: a template is only tried when the utterance holds at least one
word of each of its required word sets (a literal that every expansion contains).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ting.nlu.domain import IntentSpec
from ting.nlu.grammar import Alt, Node, Seq, SlotRef, Words, parse_template, resolve_rules
from ting.nlu.slots import SlotResolver
from ting.nlu.tokens import Utterance
from ting.nlu.types import ParseContext

__all__ = ["MatchedSlot", "TemplateMatch", "TemplateMatcher"]

MAX_VALUE_TOKENS = 16
"""The longest span tried for a value-type slot (``二零二五年十二月三十一日下午三点``)."""

Score = tuple[int, int]
"""(literal characters, words inside list and value slots): bigger is more specific."""


@dataclass(frozen=True)
class MatchedSlot:
    name: str
    start: int
    end: int
    """Token offsets into the utterance."""
    value: Any


@dataclass(frozen=True)
class TemplateMatch:
    intent: IntentSpec
    template: str
    score: Score
    slots: tuple[MatchedSlot, ...]


class _Automaton:
    """States joined by word and slot moves; epsilon moves are folded in when building."""

    def __init__(self, node: Node) -> None:
        self._moves: list[list[tuple[str | SlotRef, int]]] = [[]]
        self._eps: list[list[int]] = [[]]
        self.final = self._build(node, 0)
        closures = [self._closure(state) for state in range(len(self._moves))]
        self.moves = [[m for s in closure for m in self._moves[s]] for closure in closures]
        self.accepting = [self.final in closure for closure in closures]
        self.min_rest = [0] * len(self.moves)
        for state in reversed(range(len(self.moves))):  # targets are always later states
            if not self.accepting[state]:
                self.min_rest[state] = min(
                    (1 + self.min_rest[target] for _, target in self.moves[state]), default=10**6
                )

    def _new(self) -> int:
        self._moves.append([])
        self._eps.append([])
        return len(self._moves) - 1

    def _build(self, node: Node, start: int) -> int:
        match node:
            case Words(tokens):
                for token in tokens:
                    state = self._new()
                    self._moves[start].append((token, state))
                    start = state
                return start
            case SlotRef():
                state = self._new()
                self._moves[start].append((node, state))
                return state
            case Seq(items):
                for item in items:
                    start = self._build(item, start)
                return start
            case Alt(options):
                ends = [self._build(option, start) for option in options]
                end = self._new()
                for option_end in ends:
                    self._eps[option_end].append(end)
                return end
        raise ValueError(f"unresolved template node {node!r}")

    def _closure(self, state: int) -> list[int]:
        seen, stack = [state], [state]
        while stack:
            for nxt in self._eps[stack.pop()]:
                if nxt not in seen:
                    seen.append(nxt)
                    stack.append(nxt)
        return seen


def _required(node: Node) -> list[frozenset[str]]:
    """Word sets of which every expansion contains at least one word each."""
    match node:
        case Words(tokens):
            return [frozenset((token,)) for token in tokens]
        case Seq(items):
            return [clause for item in items for clause in _required(item)]
        case Alt(options):
            per_option = [_required(option) for option in options]
            if all(per_option):
                return [frozenset().union(*(min(c, key=len) for c in per_option))]
    return []


@dataclass
class _Compiled:
    intent: IntentSpec
    template: str
    automaton: _Automaton
    required: list[frozenset[str]]


class _Run:
    """The dynamic programme for one utterance; caches are shared by all templates."""

    def __init__(self, utterance: Utterance, ctx: ParseContext, resolver: SlotResolver) -> None:
        self.utterance = utterance
        self.words = utterance.words
        self.ctx = ctx
        self.resolver = resolver
        self.values: dict[tuple[str, int, int], Any] = {}

    def value(self, slot_type: str, start: int, end: int) -> Any:
        key = (slot_type, start, end)
        if key not in self.values:
            self.values[key] = self.resolver.read_span(
                slot_type, self.utterance, start, end, self.ctx
            )
        return self.values[key]

    def match(self, compiled: _Compiled) -> TemplateMatch | None:
        self.automaton = compiled.automaton
        self.slot_types = compiled.intent.slots
        self.memo: dict[tuple[int, int], tuple[Score, Any] | None] = {}
        if self._best(0, 0) is None:
            return None
        slots, state, pos = [], 0, 0
        while True:
            found = self.memo[(state, pos)]
            assert found is not None
            step = found[1]
            if step is None:
                break
            slot, state, pos = step
            if slot is not None:
                slots.append(slot)
        score = self.memo[(0, 0)]
        assert score is not None
        return TemplateMatch(compiled.intent, compiled.template, score[0], tuple(slots))

    def _best(self, state: int, pos: int) -> tuple[Score, Any] | None:
        key = (state, pos)
        if key in self.memo:
            return self.memo[key]
        automaton, n = self.automaton, len(self.words)
        best: tuple[Score, Any] | None = None
        if automaton.accepting[state] and pos == n:
            best = ((0, 0), None)
        elif n - pos >= automaton.min_rest[state]:
            for label, target in automaton.moves[state]:
                if isinstance(label, str):
                    found = self._word(label, target, pos)
                else:
                    found = self._slot(label.name, target, pos, best)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
        self.memo[key] = best
        return best

    def _word(self, word: str, target: int, pos: int) -> tuple[Score, Any] | None:
        if pos >= len(self.words) or self.words[pos] != word:
            return None
        rest = self._best(target, pos + 1)
        if rest is None:
            return None
        return (rest[0][0] + len(word), rest[0][1]), (None, target, pos + 1)

    def _slot(
        self, name: str, target: int, pos: int, best: tuple[Score, Any] | None
    ) -> tuple[Score, Any] | None:
        slot_type = self.slot_types[name]
        kind = self.resolver.kind(slot_type)
        last = len(self.words) - self.automaton.min_rest[target]
        if kind == "list":
            spans = self.resolver.list_ends(slot_type, self.words, pos)
        else:
            if kind != "text":
                last = min(last, pos + MAX_VALUE_TOKENS)
            spans = [(end, None) for end in range(last, pos, -1)]
        for end, listed in spans:
            if end > last:
                continue
            rest = self._best(target, end)
            if rest is None:
                continue
            typed = 0 if kind == "text" else end - pos
            score = (rest[0][0], rest[0][1] + typed)
            if best is not None and score <= best[0]:
                continue
            value = listed if kind == "list" else self.value(slot_type, pos, end)
            if value is not None:
                best = score, (MatchedSlot(name, pos, end, value), target, end)
        return best


class TemplateMatcher:
    """All templates of one language."""

    def __init__(
        self, intents: Sequence[IntentSpec], rules: Mapping[str, str], resolver: SlotResolver
    ) -> None:
        self.resolver = resolver
        compiled_rules = {name: parse_template(text) for name, text in rules.items()}
        self.templates = [
            self._compile(spec, sentence, compiled_rules)
            for spec in intents
            for sentence in spec.sentences
        ]
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        frequency = Counter(w for c in self.templates for clause in c.required for w in clause)
        for index, compiled in enumerate(self.templates):
            if not compiled.required:
                self._always.append(index)
                continue
            # Index each template under its rarest required word set.
            key = min(compiled.required, key=lambda clause: sum(frequency[w] for w in clause))
            for word in key:
                self._by_word.setdefault(word, []).append(index)

    @staticmethod
    def _compile(spec: IntentSpec, sentence: str, rules: Mapping[str, Node]) -> _Compiled:
        node = resolve_rules(parse_template(sentence), rules)
        return _Compiled(spec, sentence, _Automaton(node), _required(node))

    def candidates(self, words: Iterable[str]) -> list[int]:
        present = set(words)
        found = set(self._always)
        for word in present:
            found.update(self._by_word.get(word, ()))
        return sorted(
            index
            for index in found
            if all(not clause.isdisjoint(present) for clause in self.templates[index].required)
        )

    def match(
        self, utterance: Utterance, ctx: ParseContext, active_context: str | None = None
    ) -> list[TemplateMatch]:
        """Every intent that a template matches (its best template), most specific first."""
        if not utterance.tokens:
            return []
        run = _Run(utterance, ctx, self.resolver)
        best: dict[str, TemplateMatch] = {}
        n = len(utterance.tokens)
        for index in self.candidates(utterance.words):
            compiled = self.templates[index]
            if compiled.automaton.min_rest[0] > n or not compiled.intent.allowed_in(active_context):
                continue
            found = run.match(compiled)
            if found is None or found.score[0] == 0:
                continue
            current = best.get(found.intent.name)
            if current is None or found.score > current.score:
                best[found.intent.name] = found
        return sorted(
            best.values(), key=lambda m: (m.score, _specificity(m, active_context)), reverse=True
        )


def _specificity(match: TemplateMatch, active_context: str | None) -> int:
    """Among equal matches, an intent made for the current conversation ("and eggs" right after
    adding to a list) beats one that follows any conversation (``"*"``), which beats the rest."""
    context = match.intent.context
    if active_context is not None and active_context in context:
        return 2
    return 1 if "*" in context else 0
