"""The words to bias recognition towards, picked from the skills' own example sentences.

    terms = skill_terms([("timers", ["set a timer for [5 minutes](duration)", ...]), ...], "en")

A term earns its place by being *typical of one skill*: it occurs in the examples of at least
two of that skill's intents, and mostly in that skill (so "please", "what", "一下" — used by
every skill — are left out, "timer", "alarm", "计时器", "清单" are kept). Terms are ranked by
intents × share (n² / intents using it anywhere), so the words that name what a skill is about
come first and fill the short prompt. Slot values written in the examples (``[购物](list)``)
count as words.

Chinese has no spaces: words come from jieba (installed with Kokoro's Mandarin front end);
without it, only the slot values written in the examples are used.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

_LOGGER = logging.getLogger(__name__)
_ANNOTATION = re.compile(r"\[([^\]]+)\]\(\w+\)")
_HANZI_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"[a-z][a-z']{2,}")


def skill_terms(
    intents: Iterable[tuple[str, Sequence[str]]],
    language: str,
    *,
    min_intents: int = 2,
    min_share: float = 0.5,
) -> list[str]:
    """Terms for ``language``, most useful first, from ``(skill, examples of one intent)``
    pairs. A term is kept for a skill when ``min_intents`` of its intents use it and at least
    ``min_share`` of all the intents that use it are that skill's."""
    split = _chinese_words() if language == "zh" else _latin_words
    per_skill: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for skill, examples in intents:
        words: set[str] = set()
        for example in examples:
            words |= split(example)
        per_skill[skill].update(words)
    everywhere: Counter[str] = Counter()
    for counts in per_skill.values():
        everywhere.update(counts)
    scored = {
        word: n * n / everywhere[word]
        for counts in per_skill.values()
        for word, n in counts.items()
        if n >= min_intents and n / everywhere[word] >= min_share
    }
    return sorted(scored, key=lambda word: (-scored[word], word))


def _latin_words(example: str) -> set[str]:
    return set(_LATIN_WORD.findall(_ANNOTATION.sub(r"\1", example).lower()))


@functools.cache
def _chinese_words() -> Callable[[str], set[str]]:
    if importlib.util.find_spec("jieba") is None:
        _LOGGER.warning("jieba is not installed: Mandarin biasing uses slot values only")
        return _slot_values
    import jieba

    jieba.setLogLevel(logging.WARNING)

    def words(example: str) -> set[str]:
        plain = _ANNOTATION.sub(r"\1", example)
        return {w for w in jieba.lcut(plain) if _HANZI_WORD.fullmatch(w)}

    return words


def _slot_values(example: str) -> set[str]:
    return {v for v in _ANNOTATION.findall(example) if _HANZI_WORD.fullmatch(v)}
