"""The biasing vocabulary picked from the skills' examples (the real built-in skills)."""

from __future__ import annotations

import importlib.util

import pytest

from ting.skills.loader import build_domain, discover_skill_classes, load_skill_packages
from ting.stt.vocabulary import skill_terms


def test_words_typical_of_one_skill_come_first() -> None:
    intents = [
        ("timers", ["set a timer please", "what's on my [pasta](name) timer"]),
        ("timers", ["cancel the timer please", "stop the [pasta](name) timer"]),
        ("alarms", ["set an alarm please", "wake me up please"]),
        ("alarms", ["cancel my alarm please"]),
        ("timers", ["how long is left on my timer"]),
        ("lists", ["add eggs please"]),
    ]
    terms = skill_terms(intents, "en")
    assert terms == ["timer", "alarm", "pasta"]
    # not "please" (every skill says it), not "eggs" (one intent only)


@pytest.mark.skipif(importlib.util.find_spec("jieba") is None, reason="jieba is not installed")
def test_the_built_in_skills_name_their_topics() -> None:
    domain = build_domain(load_skill_packages(discover_skill_classes()))
    english = skill_terms([(i.skill, i.examples) for i in domain.intents("en")], "en")
    chinese = skill_terms([(i.skill, i.examples) for i in domain.intents("zh")], "zh")
    for term in ("timer", "alarm", "reminder", "list", "volume"):
        assert term in english[:20], english[:20]
    for term in ("计时器", "闹钟", "清单", "音量"):
        assert term in chinese[:10], chinese[:10]
    assert not {"please", "what", "一下", "什么"} & set(english + chinese)
