"""Reminder tasks: cleaning, the second-person read-back, bad clock times, and matching."""

from __future__ import annotations

import pytest

from ting.skills.builtin.reminders.task import Task, bad_clock, clean_task, task_matches


@pytest.mark.parametrize(
    ("said", "language", "link", "expected"),
    [
        ("call my mom", "en", "to", Task("call your mom", "to")),
        ("to call my mom please", "en", "to", Task("call your mom", "to")),
        ("the meeting", "en", "about", Task("the meeting", "about")),
        ("I have a haircut", "en", "that", Task("you have a haircut", "that")),
        ("I'm seeing the doctor", "en", "that", Task("you're seeing the doctor", "that")),
        ("bring me my keys", "en", "to", Task("bring you your keys", "to")),
        ("about the party", "en", "to", Task("the party", "about")),
        ("water our plants", "en", "to", Task("water our plants", "to")),
        ("开会", "zh", "to", Task("开会")),
        ("一下给我的花浇水吧", "zh", "to", Task("给你的花浇水")),
        ("给我妈打电话", "zh", "to", Task("给我妈打电话")),
        ("记得交作业哦", "zh", "to", Task("交作业")),
        ("买 milk", "zh", "to", Task("买milk")),
    ],
)
def test_clean_task(said: str, language: str, link: str, expected: Task) -> None:
    assert clean_task(said, language, link) == expected


@pytest.mark.parametrize("said", [None, "", "  ", "please", "it", "um", "。", "一下吧", "这个"])
def test_nothing_to_remind_about(said: str | None) -> None:
    language = "zh" if said and any("\u4e00" <= c <= "\u9fff" for c in said) else "en"
    assert clean_task(said, language) is None


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("call mom at 25 o'clock", "at 25 o'clock"),
        ("call mom at 13 pm", "at 13 pm"),
        ("call mom at 7:75", "at 7:75"),
        ("二十五点开会", "二十五点"),
        ("在30点开会", "30点"),
        ("call mom at 6", None),
        ("call mom", None),
        ("三点开会", None),
        (None, None),
    ],
)
def test_bad_clock(task: str | None, expected: str | None) -> None:
    assert bad_clock(task) == expected


@pytest.mark.parametrize(
    ("said", "task", "expected"),
    [
        ("mom", "call your mom", True),
        ("the reminder about my mom", "call your mom", True),
        ("dentist", "go to the dentist", True),
        ("the bank one", "call the bank", True),
        ("vitamins", "take your vitamins", True),
        ("plumber", "call your mom", False),
        ("开会", "开会", True),
        ("开会的", "明天开会", True),
        ("买菜", "给妈妈打电话", False),
        ("吃维生素", "吃维生素", True),
    ],
)
def test_task_matches(said: str, task: str, expected: bool) -> None:
    assert task_matches(said, task) is expected
