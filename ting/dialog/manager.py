"""One turn of a conversation: understand, resolve against the dialog state, run a skill, reply.

The dialog manager owns what no single skill can: answers to Ting's own questions (a missing slot,
a yes/no confirmation), follow-ups that reuse the previous request ("what about Tokyo?",
"还有上海呢?", "make it ten minutes"), "cancel", "repeat that", and the reply language. Skills see
only an ``IntentRequest`` and return a ``SkillReply``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ting.dialog.replies import SystemReplies
from ting.dialog.state import ConversationState, Pending, SavedSlot
from ting.dialog.turns import DialogSettings, TurnOutcome, TurnPlan, next_state
from ting.lang import detect_language
from ting.nlu.engine import NluEngine
from ting.nlu.types import SUPPORTED_LANGUAGES, NluResult, ParseContext, SlotValue
from ting.skills.base import IntentRequest, PreviousTurn, Scope, Skill
from ting.skills.responses import ResponseRenderer
from ting.store.base import Store
from ting.values import find_numbers, parse_number

_LOGGER = logging.getLogger(__name__)

DIALOG_INTENTS = frozenset({"Cancel", "Yes", "No", "Repeat", "FollowUp", "Revise"})
"""Intents of the system skill that the dialog manager answers itself."""
MAX_REASKS = 2


class DialogManager:
    def __init__(
        self,
        *,
        engine: NluEngine,
        skills: Mapping[str, Skill],
        renderers: Mapping[str, ResponseRenderer],
        store: Store,
        settings: DialogSettings,
        foreign: Mapping[str, str] | None = None,
    ) -> None:
        self._engine = engine
        self._skills = skills
        self._renderers = renderers
        self._store = store
        self._settings = settings
        self._system = SystemReplies(renderers["system"], dict(foreign or {}))
        self._intent_skill = {
            spec.name: spec.skill for lang in SUPPORTED_LANGUAGES for spec in engine.intents(lang)
        }
        self._slot_types = {
            (lang, spec.name): dict(spec.slots)
            for lang in SUPPORTED_LANGUAGES
            for spec in engine.intents(lang)
        }

    # -- the turn ------------------------------------------------------------------------------

    async def understand(self, text: str, scope: Scope, ctx: ParseContext) -> TurnPlan:
        """Language and intent of ``text``, with the conversation it continues."""
        state = await self._load(scope, ctx.now)
        fallback = state.language if state else self._settings.default_language
        if not text:
            return TurnPlan(state, self._reply_only(text, fallback, "empty"))
        if len(text) > self._settings.max_input_chars:
            guess = detect_language(text[:200])
            language = guess.language if guess.language in SUPPORTED_LANGUAGES else fallback
            return TurnPlan(state, self._reply_only(text, language, "too_long"))
        guess = detect_language(text)
        if guess.language not in (*SUPPORTED_LANGUAGES, "und"):
            reply = self._system.unsupported_language(fallback, guess.language)
            return TurnPlan(state, TurnOutcome(text=text, language=fallback, reply=reply))
        languages = _language_order(guess.language, guess.mixed, fallback)
        active = state.intent if state else None
        result = self._engine.parse(text, ctx, languages=languages, active_context=active)
        if result.intent is None and guess.language in SUPPORTED_LANGUAGES:
            result = replace(result, language=guess.language)
        elif result.intent is None:
            result = replace(result, language=fallback)
        return TurnPlan(state, None, result, languages)

    async def respond(self, plan: TurnPlan, scope: Scope, ctx: ParseContext) -> TurnOutcome:
        """Run the plan: answer an open question, a dialog intent, or hand over to a skill."""
        if plan.outcome is not None:
            return plan.outcome
        assert plan.result is not None
        state, result = plan.state, plan.result
        if state is not None and state.pending is not None:
            answered = await self._answer_pending(state, state.pending, result, scope, ctx)
            if answered is not None:
                return answered
        return await self._dispatch(state, result, scope, ctx, plan.languages)

    async def remember(
        self, outcome: TurnOutcome, scope: Scope, state: ConversationState | None, now: datetime
    ) -> None:
        """Keep the conversation and the history of this turn."""
        new_state = next_state(outcome, state, now)
        await self._store.record_turn(
            scope.conversation_key,
            None if new_state is None else new_state.to_dict(),
            at=now,
            language=outcome.language,
            text=outcome.text,
            reply=outcome.reply,
            intent=outcome.intent,
            actions=[a.to_dict() for a in outcome.actions],
            household_id=scope.household_id,
            device_id=scope.device_id,
            user_id=scope.user_id,
        )

    # -- open questions ------------------------------------------------------------------------

    async def _answer_pending(
        self,
        state: ConversationState,
        pending: Pending,
        result: NluResult,
        scope: Scope,
        ctx: ParseContext,
    ) -> TurnOutcome | None:
        language = state.language  # an answer to Ting's question continues its conversation
        if result.intent == "Cancel" or (result.intent == "No" and pending.kind == "slot"):
            return self._reply_only(result.text, language, "cancelled", result, "clear")
        if pending.kind == "confirm":
            if result.intent == "Yes":
                return await self._rerun(state, scope, ctx, language, confirmed=True)
            if result.intent == "No":
                return self._reply_only(result.text, language, "not_done", result)
        elif pending.slot is not None and state.intent is not None:
            slot_type = self._slot_types.get((state.language, state.intent), {}).get(pending.slot)
            value = self._parse_answer(slot_type, result.text, ctx, language, state.language)
            if value is not None:
                filled = SlotValue(pending.slot, slot_type or "text", value, result.text)
                return await self._rerun(state, scope, ctx, language, extra=filled)
        if result.intent is not None and result.intent not in DIALOG_INTENTS:
            return None  # the user moved on: drop the question and handle the new request
        if pending.attempts >= MAX_REASKS:
            return self._reply_only(result.text, state.language, "gave_up", result)
        key = "yes_or_no" if pending.kind == "confirm" else "reask"
        reply = self._system.render(state.language, key, prompt=pending.prompt)
        return TurnOutcome(
            text=result.text,
            language=state.language,
            reply=reply,
            intent=state.intent,
            skill=state.skill,
            expecting=pending.kind,
            source="context",
            memory="reask",
        )

    def _parse_answer(
        self, slot_type: str | None, text: str, ctx: ParseContext, *languages: str
    ) -> Any:
        if slot_type is None:
            return None
        for language in dict.fromkeys(languages):
            value = self._engine.parse_slot_value(slot_type, text, ctx, language)
            if value is not None:
                return value
        return None

    # -- dispatch ------------------------------------------------------------------------------

    async def _dispatch(
        self,
        state: ConversationState | None,
        result: NluResult,
        scope: Scope,
        ctx: ParseContext,
        languages: tuple[str, ...],
    ) -> TurnOutcome:
        intent, language = result.intent, result.language
        if intent is None:
            return self._reply_only(result.text, language, "not_understood", result)
        if intent == "Cancel":
            return self._reply_only(result.text, language, "ok", result)
        if intent in ("Yes", "No"):
            return self._reply_only(result.text, language, "nothing_to_confirm", result)
        if intent == "Repeat":
            return self._repeat(state, result, ctx)
        if intent in ("FollowUp", "Revise") and state is not None:
            followed = await self._follow_up(state, result, scope, ctx)
            if followed is not None:
                return followed
            # Not a follow-up after all ("那计时器怎么用"): understand it without the context.
            alone = self._engine.parse(result.text, ctx, languages=languages)
            if alone.intent is None or alone.intent in DIALOG_INTENTS:
                return self._reply_only(result.text, language, "not_understood", alone)
            return await self._dispatch(None, alone, scope, ctx, languages)
        return await self._run(
            result.intent or "", result.slots, result, language, scope, ctx, previous=state
        )

    def _repeat(
        self, state: ConversationState | None, result: NluResult, ctx: ParseContext
    ) -> TurnOutcome:
        if state is None or not state.reply:
            return self._reply_only(result.text, result.language, "nothing_to_repeat", result)
        return TurnOutcome(
            text=result.text,
            language=state.language,
            reply=state.reply,
            intent="Repeat",
            skill="system",
            confidence=result.confidence,
            source=result.source,
        )

    async def _follow_up(
        self, state: ConversationState, result: NluResult, scope: Scope, ctx: ParseContext
    ) -> TurnOutcome | None:
        """Reuse the previous request with one slot changed to what the user just said."""
        if state.intent is None or "value" not in result.slots:
            return None
        said = result.slots["value"].text
        slot_types = self._slot_types.get((result.language, state.intent)) or self._slot_types.get(
            (state.language, state.intent), {}
        )
        present = [s.name for s in state.slots]
        ordered = sorted(slot_types, key=lambda name: name not in present)
        for name in ordered:
            if slot_types[name] == "text":
                continue
            text = _with_previous_unit(said, state.slots, name)
            value = self._parse_answer(slot_types[name], text, ctx, result.language, state.language)
            if value is not None:
                changed = SlotValue(name, slot_types[name], value, text)
                return await self._rerun(
                    state,
                    scope,
                    ctx,
                    result.language,
                    extra=changed,
                    revision=result.intent == "Revise",
                )
        return None

    async def _rerun(
        self,
        state: ConversationState,
        scope: Scope,
        ctx: ParseContext,
        language: str,
        *,
        extra: SlotValue | None = None,
        confirmed: bool = False,
        revision: bool = False,
    ) -> TurnOutcome:
        slots = self._revive(state.slots, ctx, state.language)
        if extra is not None:
            slots[extra.name] = extra
        result = NluResult(
            text=extra.text if extra else "",
            language=language,
            intent=state.intent,
            confidence=1.0,
            slots=slots,
            source="context",
        )
        return await self._run(
            state.intent or "",
            slots,
            result,
            language,
            scope,
            ctx,
            previous=state,
            confirmed=confirmed,
            revision=revision,
        )

    def _revive(
        self, saved: tuple[SavedSlot, ...], ctx: ParseContext, language: str
    ) -> dict[str, SlotValue]:
        slots: dict[str, SlotValue] = {}
        for slot in saved:
            value = self._engine.parse_slot_value(slot.type, slot.text, ctx, language)
            if value is not None:
                slots[slot.name] = SlotValue(slot.name, slot.type, value, slot.text)
        return slots

    async def _run(
        self,
        intent: str,
        slots: Mapping[str, SlotValue],
        result: NluResult,
        language: str,
        scope: Scope,
        ctx: ParseContext,
        *,
        previous: ConversationState | None,
        confirmed: bool = False,
        revision: bool = False,
    ) -> TurnOutcome:
        skill_name = self._intent_skill[intent]
        skill = self._skills[skill_name]
        request = IntentRequest(
            intent=intent,
            slots=slots,
            language=language,
            parse_context=ctx,
            scope=scope,
            confirmed=confirmed,
            revision=revision,
            previous=self._previous(previous, ctx),
            source=result.source,
            more=result.more if result.intent == intent else (),
        )
        reply = await skill.handle(request)
        text = self._renderers[skill_name].render(
            language, reply.key, reply.values, ctx.local_now()
        )
        expect = reply.expect
        return TurnOutcome(
            text=result.text,
            language=language,
            reply=text,
            intent=intent,
            skill=skill_name,
            confidence=result.confidence,
            source=result.source,
            slots=slots,
            actions=reply.actions,
            expecting=expect.kind if expect else None,
            memory="new",
            pending_slot=expect.slot if expect else None,
            context=reply.context,
        )

    def _previous(self, state: ConversationState | None, ctx: ParseContext) -> PreviousTurn | None:
        if state is None or state.intent is None or state.skill is None:
            return None
        return PreviousTurn(
            intent=state.intent,
            skill=state.skill,
            slots=self._revive(state.slots, ctx, state.language),
            context=state.context,
        )

    def failure(self, text: str, scope: Scope) -> TurnOutcome:
        """The reply when a turn failed inside Ting; nothing of the turn is remembered."""
        language = self._settings.default_language
        return self._reply_only(text, language, "error")

    # -- helpers -------------------------------------------------------------------------------

    def _reply_only(
        self,
        text: str,
        language: str,
        key: str,
        result: NluResult | None = None,
        memory: str = "keep",
    ) -> TurnOutcome:
        intent = result.intent if result else None
        return TurnOutcome(
            text=text,
            language=language,
            reply=self._system.render(language, key),
            intent=intent,
            skill="system" if intent else None,
            confidence=result.confidence if result else 0.0,
            source=result.source if result else "none",
            memory=memory,
        )

    async def _load(self, scope: Scope, now: datetime) -> ConversationState | None:
        raw = await self._store.load_conversation(scope.conversation_key)
        if raw is None:
            return None
        try:
            state = ConversationState.from_dict(raw)
        except (KeyError, TypeError, ValueError):
            _LOGGER.warning("Dropping an unreadable conversation state for %s", scope)
            return None
        if state.age_s(now) > self._settings.conversation_timeout_s:
            return None
        return state


def _language_order(detected: str, mixed: bool, fallback: str) -> tuple[str, ...]:
    """Languages to parse in, most likely first: one when clear, both when mixed or unknown."""
    if detected in SUPPORTED_LANGUAGES and not mixed:
        return (detected,)
    first = detected if detected in SUPPORTED_LANGUAGES else fallback
    return (first, *(lang for lang in SUPPORTED_LANGUAGES if lang != first))


def _with_previous_unit(said: str, previous: tuple[SavedSlot, ...], slot: str) -> str:
    """"make it 25" after "ten minutes": a bare number keeps the unit the user said before."""
    before = next((s for s in previous if s.name == slot), None)
    if before is None or parse_number(said) is None:
        return said
    numbers = find_numbers(before.text)
    if not numbers:
        return said
    unit = before.text[numbers[-1][1] :].strip()
    if not unit:
        return said
    return f"{said}{unit}" if has_han(unit) else f"{said} {unit}"


def has_han(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)
