"""Smalltalk: greetings, thanks, goodbyes, who Ting is, and jokes and fun facts.

Ting answers only about itself here. A factual question about the world ("who won the world
cup") is not smalltalk: it stays out of domain and gets the system's "didn't catch that", so Ting
never makes an answer up.

Jokes and facts come from ``data/<lang>.yaml`` (see ``content``); which ones a speaker has
heard is kept in the skill's key-value store, so none repeats until all have been told.
"""

from __future__ import annotations

import random

from ting.skills.base import IntentRequest, Skill, SkillReply, SkillServices, handles
from ting.skills.builtin.smalltalk.content import Kind, collection, pick

# Hours (local) where each part of the day starts; before the first it is still night.
_PARTS_OF_DAY = ((5, "greet_morning"), (12, "greet_afternoon"), (18, "greet_evening"))
_NIGHT_FROM = 23


class SmalltalkSkill(Skill):
    name = "smalltalk"

    def __init__(self, services: SkillServices, rng: random.Random | None = None) -> None:
        super().__init__(services)
        self._rng = rng or random.Random()

    @handles("SmalltalkGreet")
    async def greet(self, request: IntentRequest) -> SkillReply:
        return self.reply(greeting_key(request.parse_context.local_now().hour))

    @handles("SmalltalkThanks")
    async def thanks(self, request: IntentRequest) -> SkillReply:
        return self.reply("thanks")

    @handles("SmalltalkBye")
    async def bye(self, request: IntentRequest) -> SkillReply:
        return self.reply("bye")

    @handles("SmalltalkIdentity")
    async def identity(self, request: IntentRequest) -> SkillReply:
        return self.reply("identity")

    @handles("SmalltalkHowAreYou")
    async def how_are_you(self, request: IntentRequest) -> SkillReply:
        return self.reply("how_are_you")

    @handles("SmalltalkRobot")
    async def robot(self, request: IntentRequest) -> SkillReply:
        return self.reply("robot")

    @handles("SmalltalkJoke")
    async def joke(self, request: IntentRequest) -> SkillReply:
        return await self._tell(request, "jokes")

    @handles("SmalltalkFact")
    async def fact(self, request: IntentRequest) -> SkillReply:
        return await self._tell(request, "facts")

    @handles("SmalltalkAnother")
    async def another(self, request: IntentRequest) -> SkillReply:
        previous = request.previous
        kind = previous.context.get("kind") if previous is not None else None
        return await self._tell(request, "facts" if kind == "facts" else "jokes")

    async def _tell(self, request: IntentRequest, kind: Kind) -> SkillReply:
        items = collection(request.language, kind)
        store = self.services.store
        key = f"told:{request.scope.device_id}:{request.language}:{kind}"
        household = request.scope.household_id
        told = await store.kv_get(self.name, key, household_id=household)
        told_ids = [str(i) for i in told] if isinstance(told, list) else []
        chosen = pick(list(items), told_ids, self._rng)
        await store.kv_set(self.name, key, list(chosen.told), household_id=household)
        template = kind[:-1] + ("_again" if chosen.restarted else "")
        return self.reply(template, text=items[chosen.item_id], context={"kind": kind})


def greeting_key(hour: int) -> str:
    """The response key that greets at ``hour`` (0-23, local time)."""
    key = "greet_night"
    for start, name in _PARTS_OF_DAY:
        if hour >= start:
            key = name
    return "greet_night" if hour >= _NIGHT_FROM else key
