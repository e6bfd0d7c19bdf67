"""`åtgärder` / `actions`: open action items that are mine, that I assigned, or my forums'."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Command
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name
from bot.followup.action_items import action_id, my_forum_ids, open_items
from storage.models import ActionItem


def line(context: Context, item: ActionItem) -> str:
    t = context.t
    key = (
        "action.line.overdue"
        if item.due < context.now().astimezone(context.settings.tz).date()
        else "action.line"
    )
    forum = f" ({forum_name(item.forum, context.language)})" if item.forum else ""
    return (
        t(key, id=action_id(item), text=item.text, owner=item.owner.name, date=t.date(item.due))
        + forum
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    person = context.require_person()
    t = context.t
    items = await open_items(context.session, person, await my_forum_ids(context.session, person))
    mine = [i for i in items if i.owner_id == person.id]
    others = [i for i in items if i.owner_id != person.id]
    sections = []
    if mine:
        sections.append(Section(t("actions.mine"), [line(context, i) for i in mine]))
    if others:
        sections.append(Section(t("actions.others"), [line(context, i) for i in others]))
    return Reply(
        heading=t("actions.heading"),
        text="" if sections else t("actions.none"),
        sections=sections,
        context=t("actions.how"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="actions",
    names_sv=("åtgärder",),
    names_en=("actions",),
    handler=run,
)
