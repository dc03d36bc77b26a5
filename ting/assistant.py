"""The Python API: one object that understands text, keeps conversations and rings timers.

    async with await Assistant.open(load_settings()) as assistant:
        result = await assistant.handle_text("set a timer for 5 minutes")
        print(result.reply)

``handle_text`` runs one turn (language → NLU → dialog → skill → reply) and emits typed events on
``assistant.events``; ``start()`` runs the scheduler, whose fired timers, alarms and reminders come
out as ``NotificationEvent``s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from ting.dialog.manager import DialogManager
from ting.dialog.turns import TurnOutcome
from ting.errors import TingError
from ting.events import (
    ErrorEvent,
    EventBus,
    HandleEnd,
    HandleStart,
    IntentEnd,
    IntentStart,
    NotificationEvent,
    RunEnd,
    RunStart,
)
from ting.lang import clean_text
from ting.nlu.engine import NluEngine
from ting.nlu.types import ParseContext
from ting.scheduler import Scheduler
from ting.scheduler.clock import Clock, SystemClock
from ting.settings import AssistantSettings
from ting.skills.base import Scope, Skill, SkillServices
from ting.skills.jsonable import jsonable
from ting.skills.loader import (
    SkillPackage,
    build_domain,
    discover_skill_classes,
    load_skill_packages,
)
from ting.skills.responses import ResponseRenderer
from ting.store import open_store
from ting.store.base import Store
from ting.store.records import Notification, ScheduledItem
from ting.yamlfile import read_yaml

_LOGGER = logging.getLogger(__name__)

Deliver = Callable[[NotificationEvent], Awaitable[None]]
"""Hands a fired notification to its device; raising means "not delivered, retry later"."""


@dataclass(frozen=True)
class TurnResult:
    """What one turn understood, said and did."""

    text: str
    language: str
    reply: str
    intent: str | None
    skill: str | None
    confidence: float
    slots: dict[str, Any]
    actions: list[dict[str, Any]]
    expecting: str | None
    elapsed_ms: float
    source: str = "none"
    slot_texts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "intent": self.intent,
            "skill": self.skill,
            "confidence": round(self.confidence, 4),
            "source": self.source,
            "slots": self.slots,
            "reply": self.reply,
            "actions": self.actions,
            "expecting": self.expecting,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


class Assistant:
    def __init__(
        self,
        *,
        settings: AssistantSettings,
        store: Store,
        engine: NluEngine,
        packages: Sequence[SkillPackage],
        clock: Clock | None = None,
        deliver: Deliver | None = None,
    ) -> None:
        self.settings = settings
        self.deliver = deliver
        """Where fired notifications go besides the event bus (the hub sets it)."""
        self.store = store
        self.engine = engine
        self.events = EventBus()
        self._clock: Clock = clock or SystemClock()
        self._locks: dict[str, asyncio.Lock] = {}
        self._scheduler_task: asyncio.Task[None] | None = None
        self.scheduler = Scheduler(
            store, on_fire=self._on_fire, clock=self._clock, next_occurrence=self._next_occurrence
        )
        services = SkillServices(
            store=store,
            wake_scheduler=self.scheduler.wake,
            skill_texts=lambda language: {p.name: p.texts[language] for p in packages},
        )
        self.skills: dict[str, Skill] = {p.name: p.skill_class(services) for p in packages}
        rng = random.Random(settings.seed)
        renderers = {p.name: ResponseRenderer(p.texts, rng) for p in packages}
        self._renderers = renderers
        self._dialog = DialogManager(
            engine=engine,
            skills=self.skills,
            renderers=renderers,
            store=store,
            settings=settings.dialog,
            foreign=_load_foreign(packages),
        )

    @classmethod
    async def open(
        cls,
        settings: AssistantSettings,
        *,
        skill_classes: Sequence[type[Skill]] | None = None,
        clock: Clock | None = None,
    ) -> Assistant:
        """Load skills, build (or load the cached) NLU models and open the store."""
        packages = load_skill_packages(skill_classes or discover_skill_classes())
        domain = build_domain(packages)
        engine = await asyncio.to_thread(
            NluEngine.build, domain, cache_dir=settings.cache_dir / "nlu"
        )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = await open_store(settings.database_path)
        return cls(settings=settings, store=store, engine=engine, packages=packages, clock=clock)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def parse_context(self) -> ParseContext:
        return ParseContext(now=self._clock.now(), timezone=self.settings.zone)

    async def handle_text(self, text: str, *, scope: Scope | None = None) -> TurnResult:
        """One turn. Never raises for bad input: the reply says what was wrong."""
        scope = scope or Scope()
        run_id = uuid.uuid4().hex
        started = time.perf_counter()
        cleaned = clean_text(text)
        self.events.emit(RunStart(run_id, started, cleaned, scope.device_id))
        lock = self._locks.setdefault(scope.conversation_key, asyncio.Lock())
        async with lock:
            ctx = self.parse_context()
            outcome = await self._turn(run_id, cleaned, scope, ctx)
        elapsed = (time.perf_counter() - started) * 1000
        self.events.emit(RunEnd(run_id, time.perf_counter(), outcome.reply, outcome.language))
        return _result(outcome, elapsed)

    async def _turn(self, run_id: str, text: str, scope: Scope, ctx: ParseContext) -> TurnOutcome:
        emit = self.events.emit
        emit(IntentStart(run_id, time.perf_counter(), text, ()))
        try:
            plan = await self._dialog.understand(text, scope, ctx)
            if plan.result is not None:
                r = plan.result
                slots = {k: jsonable(v.value) for k, v in r.slots.items()}
                emit(
                    IntentEnd(
                        run_id, time.perf_counter(), r.intent, r.language, r.confidence, slots
                    )
                )
            outcome = await self._dialog.respond(plan, scope, ctx)
            if outcome.skill is not None and outcome.intent is not None:
                emit(HandleStart(run_id, time.perf_counter(), outcome.skill, outcome.intent))
            emit(
                HandleEnd(
                    run_id,
                    time.perf_counter(),
                    outcome.reply,
                    tuple(a.to_dict() for a in outcome.actions),
                )
            )
            await self._dialog.remember(outcome, scope, plan.state, ctx.now)
            return outcome
        except TingError as err:
            _LOGGER.warning("Turn failed: %s", err)
            emit(ErrorEvent(run_id, time.perf_counter(), type(err).__name__, str(err)))
            return self._dialog.failure(text, scope)
        except Exception as err:
            _LOGGER.exception("Unexpected failure in a turn")
            emit(ErrorEvent(run_id, time.perf_counter(), "internal", str(err)))
            return self._dialog.failure(text, scope)

    # -- scheduler -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Run the scheduler in the background (timers, alarms and reminders ring)."""
        if self._scheduler_task is None:
            self._scheduler_task = asyncio.create_task(self.scheduler.run(), name="ting-scheduler")

    async def close(self) -> None:
        if self._scheduler_task is not None:
            self._scheduler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler_task
            self._scheduler_task = None
        await self.store.close()

    async def _on_fire(self, notification: Notification) -> None:
        skill = self.skills.get(notification.owner_skill)
        if skill is None:
            _LOGGER.error(
                "No skill %r for notification %s", notification.owner_skill, notification.id
            )
            return
        reply = await skill.on_notification(notification)
        now = self._clock.now().astimezone(self.settings.zone)
        language = notification.language
        text = self._renderers[skill.name].render(language, reply.key, reply.values, now)
        event = NotificationEvent(
            run_id=f"notification-{notification.id}",
            at=time.perf_counter(),
            device_id=notification.device_id,
            household_id=notification.household_id,
            kind=str(notification.kind),
            text=text,
            language=language,
            late_by_s=notification.late_by_s,
            actions=tuple(a.to_dict() for a in reply.actions),
            item_id=notification.item_id,
            due_at=notification.due_at.isoformat(),
        )
        self.events.emit(event)
        if self.deliver is not None:
            await self.deliver(event)

    def _next_occurrence(self, item: ScheduledItem, after: datetime) -> datetime | None:
        skill = self.skills.get(item.owner_skill)
        return skill.next_occurrence(item, after) if skill is not None else None


def _result(outcome: TurnOutcome, elapsed_ms: float) -> TurnResult:
    return TurnResult(
        text=outcome.text,
        language=outcome.language,
        reply=outcome.reply,
        intent=outcome.intent,
        skill=outcome.skill,
        confidence=outcome.confidence,
        slots={name: jsonable(slot.value) for name, slot in outcome.slots.items()},
        actions=[a.to_dict() for a in outcome.actions],
        expecting=outcome.expecting,
        elapsed_ms=elapsed_ms,
        source=outcome.source,
        slot_texts={name: slot.text for name, slot in outcome.slots.items()},
    )


def _load_foreign(packages: Sequence[SkillPackage]) -> dict[str, str]:
    for package in packages:
        path = package.skill_class.folder() / "foreign.yaml"
        if path.is_file():
            loaded = read_yaml(path) or {}
            return {str(k): str(v) for k, v in loaded.items()}
    return {}
