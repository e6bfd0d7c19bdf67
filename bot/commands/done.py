"""`klar A3` / `done A3`: close an action item (its owner, whoever assigned it, or an admin)."""

from __future__ import annotations

from bot.channels.audience import visibility_in
from bot.common.ids import IdKind, parse_typed_id
from bot.common.untrusted import row_id
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Reply
from bot.followup.action_items import DONE, OPEN, action_id, hidden_from, may_close
from bot.followup.names import ACTION_DONE_ROUTE
from bot.scheduler.jobs import cancel
from storage.audit import snapshot
from storage.models import ActionItem

AUDITED = ("text", "owner_id", "due", "status", "closed_by_id")


async def close(context: Context, number: int, token: str) -> Reply:
    person = context.require_person()
    item = await context.session.get(ActionItem, number)
    if item is None or await hidden_from(context.session, person, item):
        raise CommandError("action.not_found", id=token)
    if item.status != OPEN:
        return Reply(
            text=context.t("action.already_done", id=action_id(item)), replace_original=True
        )
    if not may_close(person, item):
        raise CommandError("action.not_yours", id=action_id(item), owner=item.owner.name)
    before = snapshot(item, *AUDITED)
    item.status, item.closed_at, item.closed_by_id = DONE, context.now(), person.id
    await cancel(context.session, f"action_due:{item.id}", context.now())
    context.audit("action.close", "action_item", action_id(item), before, snapshot(item, *AUDITED))
    return Reply(
        text=context.t("action.closed", id=action_id(item), text=item.text),
        replace_original=True,
        visibility=await visibility_in(context.session, context.request.channel, item.forum_id),
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    token = args["item"].strip()
    typed = parse_typed_id(token, IdKind.ACTION_ITEM)
    if typed is None:
        raise CommandError("action.bad_id", id=token[:20])
    return await close(context, typed.number, str(typed))


async def press(context: Context, payload: dict[str, object]) -> Reply:
    number = row_id(payload.get("item"))  # not an id: refused by the core as a stale button
    return await close(context, number, f"A{number}")


COMMAND = Command(
    key="done",
    names_sv=("klar",),
    names_en=("done",),
    handler=run,
    params=(Param("item", lookup=True),),
)
ROUTES = [ButtonRoute(ACTION_DONE_ROUTE, press)]
