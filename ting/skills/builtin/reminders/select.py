"""Which reminders a request means: by what they are about ("the reminder about mom"), by when
they ring ("my 5 pm reminder", "tomorrow's reminders"), the one the conversation is about
("cancel it"), or all of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ting.scheduler.recurrence import Recurrence, occurs_on
from ting.skills.base import Scope
from ting.skills.builtin.reminders.task import task_matches
from ting.skills.builtin.reminders.timing import Said
from ting.store.base import Store
from ting.store.records import ItemKind, ItemState, ScheduledItem

ACTIVE = (ItemState.PENDING,)


async def active_reminders(store: Store, scope: Scope) -> list[ScheduledItem]:
    """Reminders still to ring on this speaker (those of the speaking user, when known)."""
    items = await store.list_items(
        scope.household_id, scope.device_id, kind=ItemKind.REMINDER, states=ACTIVE
    )
    return [i for i in items if scope.user_id is None or i.user_id in (None, scope.user_id)]


def rule_of(item: ScheduledItem) -> Recurrence | None:
    return Recurrence.from_text(item.recurrence) if item.recurrence else None


def rings_on(item: ScheduledItem, day: date, zone: ZoneInfo) -> bool:
    rule = rule_of(item)
    if rule is not None:
        return occurs_on(rule, day)
    return item.due_at is not None and item.due_at.astimezone(zone).date() == day


def _rings_at(item: ScheduledItem, moment: datetime, with_date: bool, zone: ZoneInfo) -> bool:
    if item.due_at is None:
        return False
    due, wanted = item.due_at.astimezone(zone), moment.astimezone(zone)
    same_clock = (due.hour, due.minute) == (wanted.hour, wanted.minute)
    return same_clock and (not with_date or due.date() == wanted.date())


def by_time(items: list[ScheduledItem], when: Said, zone: ZoneInfo) -> list[ScheduledItem]:
    """Reminders that ring on the day said ("tomorrow", "this week", "tonight"), or at the
    clock time said ("my 5 pm reminder")."""
    value = when.value
    if value.has_time and value.grain not in ("part_of_day", "day", "week", "month"):
        return [i for i in items if _rings_at(i, value.when, value.has_date, zone)]
    first = value.when.astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range(7 if value.grain == "week" else 1)]
    return [i for i in items if any(rings_on(i, day, zone) for day in days)]


def select(
    items: list[ScheduledItem],
    *,
    said: str | None,
    when: Said | None,
    current: str | None,
    zone: ZoneInfo,
) -> list[ScheduledItem]:
    """The reminders meant; several when the words fit several (Ting then asks which)."""
    chosen = items
    if said:
        chosen = [i for i in chosen if task_matches(said, i.label or "")]
    if when is not None:
        chosen = by_time(chosen, when, zone)
    if not said and when is None and current:
        in_talk = [i for i in chosen if i.id == current]
        if in_talk:
            return in_talk
    return chosen
