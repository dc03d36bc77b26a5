"""Lists: the household's shopping and to-do lists plus lists the user names ("camping").

Add several items at once, remove, check off, read, count, ask "is milk on my list", clear,
create, delete, and ask which lists there are. Lists belong to the household, so every speaker
of the home sees the same ones. Checked-off items stay on the list (unread, uncounted) until the
list is cleared; adding one again puts it back.

Every reply names the list it used. The reply context keeps the list and the operation, so a
follow-up ("and eggs", "还有鸡蛋": ``ListMore``) repeats it on new items, and a request that
names no list uses the list the conversation is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ting.skills.base import Action, IntentRequest, Skill, SkillReply, handles
from ting.skills.builtin.lists.items import find_item, split_items, too_long
from ting.skills.builtin.lists.names import (
    BUILT_IN,
    SHOPPING,
    TODO,
    context_list,
    label,
    looks_like_task,
    named_list,
)
from ting.store.records import ListItem

READ_AT_MOST = 10
"""A long list is read up to here, then "and 5 more"."""
MAX_ITEMS = 200
"""Items one list may hold (a guard against runaway adds, far above any real shopping list)."""
_ASK = {"add": "ask_add", "remove": "ask_remove", "check": "ask_check", "contains": "ask_find"}


class ListSkill(Skill):
    name = "lists"

    @handles("ListAdd")
    async def add(self, request: IntentRequest) -> SkillReply:
        return await self._items_op("add", request, request.slot("items"))

    @handles("ListRemove")
    async def remove(self, request: IntentRequest) -> SkillReply:
        return await self._items_op("remove", request, request.slot("items"))

    @handles("ListCheck")
    async def check(self, request: IntentRequest) -> SkillReply:
        return await self._items_op("check", request, request.slot("items"))

    @handles("ListContains")
    async def contains(self, request: IntentRequest) -> SkillReply:
        return await self._items_op("contains", request, request.slot("items"))

    @handles("ListMore")
    async def more(self, request: IntentRequest) -> SkillReply:
        said = ", ".join(str(request.slot(s)) for s in ("item", "items") if request.has(s))
        op = request.previous.context.get("op") if request.previous else None
        return await self._items_op(str(op or "add"), request, said)

    @handles("ListRead")
    async def read(self, request: IntentRequest) -> SkillReply:
        name = named_list(request) or context_list(request) or SHOPPING
        items = await self._open_items(request, name)
        context = {"list": name}
        if items is None:
            return self.reply("no_list", list=label(name), context=context)
        if not items:
            return self.reply(
                await self._empty_key(request, name), list=label(name), context=context
            )
        said = [i.text for i in items[:READ_AT_MOST]]
        key = "read_one" if len(items) == 1 else "read_many"
        if len(items) > READ_AT_MOST:
            key = "read_first"
        more = len(items) - len(said)
        return self.reply(
            key, list=label(name), items=said, count=len(items), more=more, context=context
        )

    @handles("ListCount")
    async def count(self, request: IntentRequest) -> SkillReply:
        name = named_list(request) or context_list(request) or SHOPPING
        items = await self._open_items(request, name)
        context = {"list": name}
        if items is None:
            return self.reply("no_list", list=label(name), context=context)
        if not items:
            return self.reply(
                await self._empty_key(request, name), list=label(name), context=context
            )
        key = "count_one" if len(items) == 1 else "count_many"
        return self.reply(key, list=label(name), count=len(items), context=context)

    @handles("ListClear")
    async def clear(self, request: IntentRequest) -> SkillReply:
        name = named_list(request) or context_list(request) or SHOPPING
        found = await self.services.store.get_list(request.scope.household_id, name)
        context = {"list": name}
        if found is None and name not in BUILT_IN:
            return self.reply("no_list", list=label(name), context=context)
        if found is None or not found.items:
            return self.reply("already_empty", list=label(name), context=context)
        if not request.confirmed:
            return self.confirm("confirm_clear", list=label(name), count=len(found.items))
        removed = await self.services.store.clear_list(request.scope.household_id, name)
        action = Action("list.clear", {"list": name, "count": removed})
        return self.reply("cleared", list=label(name), actions=(action,), context=context)

    @handles("ListCreate")
    async def create(self, request: IntentRequest) -> SkillReply:
        name = named_list(request)
        if name is None:
            return self.ask("name", "ask_list_name")
        if len(name) > 50:
            return self.reply("name_too_long")
        household = request.scope.household_id
        if name in BUILT_IN or name in await self.services.store.list_names(household):
            return self.reply("exists", list=label(name), context={"list": name})
        await self.services.store.add_list_items(household, name, [], request.now)
        action = Action("list.create", {"list": name})
        return self.reply("created", list=label(name), actions=(action,), context={"list": name})

    @handles("ListDelete")
    async def delete(self, request: IntentRequest) -> SkillReply:
        name = named_list(request) or context_list(request)
        if name is None:
            return self.ask("name", "ask_delete_name")
        if name in BUILT_IN:
            return self.reply("cannot_delete", list=label(name), context={"list": name})
        household = request.scope.household_id
        if name not in await self.services.store.list_names(household):
            return self.reply("no_list", list=label(name))
        if not request.confirmed:
            return self.confirm("confirm_delete", list=label(name))
        await self.services.store.delete_list(household, name)
        return self.reply(
            "deleted", list=label(name), actions=(Action("list.delete", {"list": name}),)
        )

    @handles("ListNames")
    async def names(self, request: IntentRequest) -> SkillReply:
        stored = await self.services.store.list_names(request.scope.household_id)
        names = [*BUILT_IN, *(n for n in stored if n not in BUILT_IN)]
        return self.reply("names", lists=[label(n) for n in names], count=len(names))

    # -- items ---------------------------------------------------------------------------------

    async def _items_op(self, op: str, request: IntentRequest, said: Any) -> SkillReply:
        items = split_items(str(said or ""))
        if too_long(items):
            return self.reply("item_too_long")
        name = named_list(request) or context_list(request)
        if not items:
            target = name or SHOPPING
            return self.ask("items", _ASK.get(op, "ask_add"), list=label(target))
        if name is None:
            name = await self._guess_list(request, op, items)
        context = {"list": name, "op": op}
        if op == "add":
            return await self._add(request, name, items, context)
        found = await self.services.store.get_list(request.scope.household_id, name)
        if found is None and name not in BUILT_IN:
            return self.reply("no_list", list=label(name), context=context)
        on_list = list(found.items) if found else []
        matched = [(said_item, find_item(on_list, said_item)) for said_item in items]
        hits = [item for _, item in matched if item is not None]
        missing = [s for s, item in matched if item is None]
        values: dict[str, Any] = {"list": label(name), "context": context}
        if op == "contains":
            return self._contains_reply(hits, missing, values)
        if not hits:
            return self.reply("not_on_list", items=missing, **values)
        household = request.scope.household_id
        if op == "remove":
            await self.services.store.remove_list_items(household, name, [i.id for i in hits])
        else:
            for item in hits:
                await self.services.store.check_list_item(household, name, item.id, True)
        action = Action(f"list.{op}", {"list": name, "items": [i.text for i in hits]})
        key = {"remove": "removed", "check": "checked"}[op]
        key = f"{key}_some" if missing else key
        return self.reply(
            key, items=[i.text for i in hits], missing=missing, actions=(action,), **values
        )

    async def _add(
        self, request: IntentRequest, name: str, items: list[str], context: dict[str, Any]
    ) -> SkillReply:
        household = request.scope.household_id
        found = await self.services.store.get_list(household, name)
        on_list = list(found.items) if found else []
        new: list[str] = []
        dupes: list[str] = []
        for said in items:
            existing = find_item(on_list, said, exact=True)
            if existing is None:
                new.append(said)
            elif existing.checked:  # bought before and needed again: back on the list
                await self.services.store.check_list_item(household, name, existing.id, False)
                new.append(existing.text)
            else:
                dupes.append(existing.text)
        values: dict[str, Any] = {"list": label(name), "context": context}
        if not new:
            return self.reply("already_on", items=dupes, **values)
        if len(on_list) + len(new) > MAX_ITEMS:
            return self.reply("list_full", count=MAX_ITEMS, **values)
        fresh = [s for s in new if find_item(on_list, s, exact=True) is None]
        if fresh:
            await self.services.store.add_list_items(household, name, fresh, request.now)
        action = Action("list.add", {"list": name, "items": new})
        key = "added_some" if dupes else "added"
        return self.reply(key, items=new, dupes=dupes, actions=(action,), **values)

    async def _guess_list(self, request: IntentRequest, op: str, items: Sequence[str]) -> str:
        """No list named and none in the conversation: the likeliest one."""
        if op == "add":
            return TODO if looks_like_task(items) else SHOPPING
        household = request.scope.household_id
        stored = await self.services.store.list_names(household)
        for name in [*BUILT_IN, *(n for n in stored if n not in BUILT_IN)]:
            found = await self.services.store.get_list(household, name)
            if found and any(find_item(list(found.items), s) for s in items):
                return name
        return SHOPPING

    def _contains_reply(
        self, hits: list[ListItem], missing: list[str], values: dict[str, Any]
    ) -> SkillReply:
        if not hits:
            return self.reply("contains_no", items=missing, **values)
        texts = [i.text for i in hits]
        if missing:
            return self.reply("contains_some", items=texts, missing=missing, **values)
        key = "contains_checked" if all(i.checked for i in hits) else "contains_yes"
        return self.reply(key, items=texts, **values)

    async def _open_items(self, request: IntentRequest, name: str) -> list[ListItem] | None:
        """The unchecked items of a list; None when there is no such list."""
        found = await self.services.store.get_list(request.scope.household_id, name)
        if found is None:
            return None if name not in BUILT_IN else []
        return [i for i in found.items if not i.checked]

    async def _empty_key(self, request: IntentRequest, name: str) -> str:
        found = await self.services.store.get_list(request.scope.household_id, name)
        return "all_checked" if found and found.items else "empty"
