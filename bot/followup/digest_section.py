"""Digest section: action items that are overdue or due this week; a restricted forum's items
only for an audience that may see them (`bot.channels.audience`)."""

from __future__ import annotations

from bot.channels.audience import load_tree
from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection
from bot.followup.action_items import action_id, open_items


async def build(context: DigestContext) -> Section | None:
    t = context.t
    tree = await load_tree(context.session)
    items = [
        item
        for item in await open_items(context.session)
        if item.due <= context.week_end and tree.shows(item.forum_id, context.audience)
    ]
    if not items:
        return None
    lines = []
    for item in items:
        key = "digest.actions.overdue" if item.due < context.today else "digest.actions.due"
        lines.append(
            t(key, id=action_id(item), text=item.text, owner=item.owner.name, date=t.date(item.due))
        )
    return Section(t("digest.actions.title"), context.shorten(lines))


SECTION = DigestSection(order=40, build=build)
