"""Home tab section: my forums and who the contacts are in each, as in `kontakter`."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.context import Context
from bot.core.reply import Section
from bot.directory.forums import ROLE_ORDER, forum_name, members_of, memberships_of
from storage.models import Forum


async def my_forums(context: Context) -> list[Section]:
    """My forums and who the contacts are in each, as in `kontakter`."""
    t, person = context.t, context.require_person()
    forum_ids = await memberships_of(context.session, person)
    if not forum_ids:
        return [Section(t("home.my_forums"), [t("home.no_forums")])]
    forums = list(
        (
            await context.session.scalars(
                select(Forum).where(Forum.id.in_(forum_ids)).order_by(Forum.sort_order)
            )
        ).all()
    )
    members = await members_of(context.session, [f.id for f in forums])
    sections: list[Section] = [Section(t("home.my_forums"), [])]
    for forum in forums:
        lines = [
            t(
                "home.contact",
                name=m.person.name,
                role=t(f"home.role.{m.role}") if m.role in ROLE_ORDER else m.role,
                org=m.person.organization.short_name,
            )
            + (f" · {m.person.email}" if m.person.email else "")
            for m in members
            if m.forum_id == forum.id
        ]
        sections.append(Section(forum_name(forum, context.language), lines))
    return sections
