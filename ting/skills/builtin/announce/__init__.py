"""Announcements: "announce dinner is ready", "在客厅广播一下该睡觉了", read out on other speakers.

The skill only understands and confirms. The hub reads the ``announce`` action and plays the
message on every speaker of the household, or on those of one room::

    Action("announce", {"text": "dinner is ready", "room": None, "language": "en"})

- ``text``: the message as said, tidied, at most 200 characters (see ``message``).
- ``room``: None for the whole home; a listed room's canonical English name ("kitchen",
  "living room", "kids' room": 厨房 is "kitchen" too, see ``intents/rooms.yaml``); or, for a room
  not in that list, the words said ("sunroom", "阳光房").
- ``language``: the language of the message's words, for the voice that reads it out. It is the
  language spoken, except in mixed speech: "announce 吃饭了" is answered in English and read out
  in Chinese.

A missing message is asked for; a message that is too long gets a reply and no action. When
only the statistical model recognized the request (no sentence template matched), Ting asks
before announcing: a wrong announcement would play in every room.
"""

from __future__ import annotations

from typing import Any

from ting.skills.base import Action, Fragment, IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.announce.message import clean_message

_ARTICLES = ("the ", "my ", "our ")
_FLOORS = frozenset(("upstairs", "downstairs"))
"""Rooms said without "in the": "announcing upstairs"."""


class AnnounceSkill(Skill):
    name = "announce"

    @handles("Announce")
    async def announce(self, request: IntentRequest) -> SkillReply:
        room, room_said = _room(request)
        message = clean_message(request.slot("message"), request.language)
        where = _where(room, room_said)
        if message is None:
            if where is not None:
                return self.ask("message", "ask_message_room", where=where)
            return self.ask("message", "ask_message")
        if message.too_long:
            return self.reply("too_long")
        if request.source == "model" and not request.confirmed:
            # A guess of the statistical model: an announcement plays in every room, so ask.
            key = "confirm" if where is None else "confirm_room"
            return self.confirm(key, message=message.text, where=where)
        action = Action(
            "announce", {"text": message.text, "room": room, "language": message.language}
        )
        key = "announcing" if where is None else "announcing_room"
        return self.reply(key, actions=(action,), message=message.text, where=where)


def _room(request: IntentRequest) -> tuple[str | None, str]:
    """The room for the hub (canonical name or the words said) and the room for the reply (the
    words said, so a Chinese reply names 厨房 and an English one the kitchen)."""
    listed = request.slots.get("room")
    if listed is not None:
        said = listed.text.lower() if request.language == "en" else listed.text
        return str(listed.value), _without_article(said)
    place: Any = request.slot("place")
    if not place or not str(place).strip():
        return None, ""
    said = _without_article(" ".join(str(place).split()).strip(" ,.:;，。：；"))
    return (said, said) if said else (None, "")


def _where(room: str | None, said: str) -> Fragment | None:
    if room is None or not said:
        return None
    return Fragment("on_floor" if room in _FLOORS else "in_room", {"room": said})


def _without_article(text: str) -> str:
    lowered = text.lower()
    for article in _ARTICLES:
        if lowered.startswith(article):
            return text[len(article) :]
    return text
