"""Help: what Ting can do, and how to use one skill, from the skills' own descriptions."""

from __future__ import annotations

from ting.skills.base import IntentRequest, Skill, SkillReply, handles

HIDDEN = frozenset({"system", "help"})


class HelpSkill(Skill):
    name = "help"

    @handles("HelpGeneral")
    async def general(self, request: IntentRequest) -> SkillReply:
        texts = self.services.skill_texts(request.language)
        shown = [t for name, t in texts.items() if name not in HIDDEN and t.title]
        examples = [t.examples[0] for t in shown if t.examples]
        return self.reply(
            "overview",
            skills=[t.title for t in shown],
            example=examples[0] if examples else "",
        )

    @handles("HelpSkill")
    async def skill(self, request: IntentRequest) -> SkillReply:
        topic = request.slot("topic")
        texts = self.services.skill_texts(request.language).get(str(topic))
        if texts is None:
            return self.reply("unknown_topic")
        return self.reply(
            "about_skill",
            description=texts.description.rstrip("。."),
            examples=[f"“{e}”" for e in texts.examples[:3]],
        )
