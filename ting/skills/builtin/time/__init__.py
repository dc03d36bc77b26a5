"""Time and date, here or in another city ("what time is it in Tokyo", "东京现在几点")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ting.skills.base import IntentRequest, Skill, SkillReply, handles
from ting.values import DateTimeValue, speak_date, speak_full_date, speak_time


class TimeSkill(Skill):
    name = "time"

    @handles("TimeGet")
    async def time(self, request: IntentRequest) -> SkillReply:
        here = request.parse_context.local_now()
        zone_name = request.slot("city")
        if not zone_name:
            return self.reply("time_here", time=speak_time(here, request.language, here))
        there = request.now.astimezone(ZoneInfo(zone_name))
        city = _city_name(request)
        time = speak_time(there, request.language, there)
        if there.date() != here.date():
            day = speak_date(_naive_day(there, here), request.language, here)
            return self.reply("time_there_other_day", city=city, time=time, day=day)
        return self.reply("time_there", city=city, time=time)

    @handles("DateGet")
    async def date(self, request: IntentRequest) -> SkillReply:
        here = request.parse_context.local_now()
        zone_name = request.slot("city")
        day: DateTimeValue | None = request.slot("day")
        if day is not None:
            target = day.when.astimezone(here.tzinfo)
            relative = speak_date(target, request.language, here)
            full = speak_full_date(target, request.language)
            key = "date_of_day" if relative != full else "date_of_day_plain"
            return self.reply(key, day=relative, date=full)
        if zone_name:
            there = request.now.astimezone(ZoneInfo(zone_name))
            return self.reply(
                "date_there",
                city=_city_name(request),
                date=speak_full_date(there, request.language),
            )
        return self.reply("date_here", date=speak_full_date(here, request.language))


def _city_name(request: IntentRequest) -> str:
    said = request.slots["city"].text
    return said.title() if request.language == "en" and said.isascii() else said


def _naive_day(there: datetime, here: datetime) -> datetime:
    """``there``'s calendar day expressed in ``here``'s zone, so "tomorrow" is counted right."""
    return there.replace(tzinfo=None).replace(tzinfo=here.tzinfo)
