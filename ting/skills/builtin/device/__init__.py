"""Speaker controls: volume, mute, media transport, and do-not-disturb / "goodnight".

The hub does not play anything itself: every handler answers with typed actions that the
satellite (and a later music skill) carries out::

    volume.set {level}   volume.mute   volume.unmute
    media.pause   media.resume   media.next   media.previous
    dnd.on {until}   dnd.off                  (until: ISO-8601 instant, or None = until turned off)

"stop" stays with the system skill (``media.stop``). The speaker's volume, mute and
do-not-disturb state is kept per device in the skill's key-value store (see ``state``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ting.skills.base import Action, IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.device.state import (
    MIN_AUDIBLE,
    DeviceState,
    clamp,
    next_morning,
    requested_level,
    step_size,
)
from ting.values import DateTimeValue, Quantity, speak_time

MAX_DND = timedelta(days=7)
"""The longest do-not-disturb with an end that Ting accepts ("for 3 weeks" is a mistake)."""


class DeviceSkill(Skill):
    name = "device"

    # -- volume --------------------------------------------------------------------------------

    @handles("VolumeUp", "VolumeDown")
    async def volume_step(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        step = step_size(request.slot("amount"), _percent(request))
        if step is None:
            return self.reply("bad_step")
        up = request.intent == "VolumeUp"
        if up and state.level >= 100 and not state.muted:
            return self.reply("already_max")
        if not up and state.level <= 0:
            return self.reply("already_min")
        level = clamp(state.level + step if up else state.level - step)
        return await self._set_level(request, state, level, unmute=up)

    @handles("VolumeSet")
    async def volume_set(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        level = requested_level(request.slot("level"), _percent(request))
        if level is None:
            if not request.has("level") and not request.has("percent"):
                return self.ask("level", "ask_level")
            return self.reply("out_of_range", level=state.level)
        return await self._set_level(request, state, level, unmute=True)

    @handles("VolumeMax", "VolumeMin")
    async def volume_extreme(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        level = 100 if request.intent == "VolumeMax" else MIN_AUDIBLE
        if state.level == level and not state.muted:
            return self.reply("already_max" if level == 100 else "already_at", level=level)
        return await self._set_level(request, state, level, unmute=True)

    @handles("VolumeMute")
    async def mute(self, request: IntentRequest) -> SkillReply:
        # Mute, unmute and do-not-disturb actions are sent even when the stored state says they
        # are not needed: the speaker may have changed on its own (a button), and they are
        # idempotent there.
        state = await self._load(request)
        await self._save(request, replace(state, muted=True))
        key = "already_muted" if state.muted else "muted"
        return self.reply(key, actions=(Action("volume.mute"),))

    @handles("VolumeUnmute")
    async def unmute(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        await self._save(request, replace(state, muted=False))
        return self.reply("unmuted", level=state.level, actions=(Action("volume.unmute"),))

    @handles("VolumeGet")
    async def volume_get(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        return self.reply("volume_is_muted" if state.muted else "volume_is", level=state.level)

    # -- media ---------------------------------------------------------------------------------

    @handles("MediaPause", "MediaResume", "MediaNext", "MediaPrevious")
    async def media(self, request: IntentRequest) -> SkillReply:
        action = _MEDIA_ACTIONS[request.intent]
        return self.reply(action.replace(".", "_"), actions=(Action(action),))

    @handles("MediaWhatsPlaying")
    async def whats_playing(self, request: IntentRequest) -> SkillReply:
        # No music skill yet: nothing on this speaker plays anything Ting knows about.
        return self.reply("nothing_playing")

    # -- do not disturb ------------------------------------------------------------------------

    @handles("DndOn")
    async def dnd_on(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        until = _dnd_end(request)
        if until is not None and not request.now < until <= request.now + MAX_DND:
            return self.reply("bad_dnd_end")
        updated = replace(state, dnd=True, dnd_until=until.isoformat() if until else None)
        await self._save(request, updated)
        action = Action("dnd.on", {"until": updated.dnd_until})
        key = "dnd_on_until" if until else "dnd_on"
        return self.reply(key, until=_clock(request, until), actions=(action,))

    @handles("DndOff", "DndOffFollowUp")
    async def dnd_off(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        await self._save(request, replace(state, dnd=False, dnd_until=None))
        return self.reply("dnd_off", actions=(Action("dnd.off"),))

    @handles("DndGoodnight")
    async def goodnight(self, request: IntentRequest) -> SkillReply:
        state = await self._load(request)
        until = next_morning(request.now, request.parse_context.timezone)
        updated = replace(state, dnd=True, dnd_until=until.isoformat())
        await self._save(request, updated)
        action = Action("dnd.on", {"until": updated.dnd_until})
        return self.reply("goodnight", until=_clock(request, until), actions=(action,))

    # -- helpers -------------------------------------------------------------------------------

    async def _set_level(
        self, request: IntentRequest, state: DeviceState, level: int, *, unmute: bool
    ) -> SkillReply:
        actions = []
        if unmute and state.muted:
            actions.append(Action("volume.unmute"))
            state = replace(state, muted=False)
        actions.append(Action("volume.set", {"level": level}))
        await self._save(request, replace(state, level=level))
        return self.reply("volume_changed", level=level, actions=tuple(actions))

    async def _load(self, request: IntentRequest) -> DeviceState:
        raw = await self.services.store.kv_get(
            self.name, _key(request), household_id=request.scope.household_id
        )
        return DeviceState.from_dict(raw).at(request.now)

    async def _save(self, request: IntentRequest, state: DeviceState) -> None:
        await self.services.store.kv_set(
            self.name, _key(request), state.to_dict(), household_id=request.scope.household_id
        )


_MEDIA_ACTIONS = {
    "MediaPause": "media.pause",
    "MediaResume": "media.resume",
    "MediaNext": "media.next",
    "MediaPrevious": "media.previous",
}


def _key(request: IntentRequest) -> str:
    return f"state:{request.scope.device_id}"


def _percent(request: IntentRequest) -> float | None:
    value = request.slot("percent")
    return value.value if isinstance(value, Quantity) else None


def _clock(request: IntentRequest, moment: datetime | None) -> str:
    """The time of day of ``moment`` on the speaker's clock ("7 AM", "早上7点")."""
    if moment is None:
        return ""
    here = request.parse_context.local_now()
    return speak_time(moment.astimezone(here.tzinfo), request.language, here)


def _dnd_end(request: IntentRequest) -> datetime | None:
    """When the requested do-not-disturb ends: "for two hours", "until 3 pm", or never."""
    duration: timedelta | None = request.slot("duration")
    if duration is not None:
        return request.now + duration
    until = request.slot("until")
    if isinstance(until, DateTimeValue) and until.has_time:
        return until.when
    return None
