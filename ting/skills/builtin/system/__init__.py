"""Dialog control: stop, cancel, repeat, yes / no, and follow-ups that reuse the last request.

Only ``Stop`` is handled here; the other intents need the conversation state, so the dialog
manager answers them itself (``dialog_intents``).
"""

from __future__ import annotations

from typing import ClassVar

from ting.dialog.manager import DIALOG_INTENTS
from ting.skills.base import Action, IntentRequest, Skill, SkillReply, handles


class SystemSkill(Skill):
    name = "system"
    dialog_intents: ClassVar[frozenset[str]] = DIALOG_INTENTS

    @handles("Stop")
    async def stop(self, request: IntentRequest) -> SkillReply:
        return self.reply("stopped", actions=(Action("media.stop"),))
