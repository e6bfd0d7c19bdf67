"""`forum` / `forums`: the forums, what each is for, who is expected there, the next meeting."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.context import Context
from bot.core.registry import Access, Command
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name, organisation_short
from bot.meetings.service import Viewer, meeting_id, next_meetings
from storage.models import Forum, Organization


def expected_parties(context: Context, forum: Forum, orgs: dict[str, Organization]) -> str:
    names = [
        organisation_short(orgs[key], context.language)
        for key in forum.expected_orgs
        if key in orgs
    ]
    return (
        context.t("list.and", first=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else "".join(names)
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    viewer = await Viewer.load(context)
    index = viewer.index
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    upcoming = await next_meetings(context.session, context.now())
    sections = []
    for forum in index.top_level():
        description = forum.description_en if context.language == "en" else forum.description_sv
        items = [description] if description else []
        scope = forum.scope_en if context.language == "en" else forum.scope_sv
        if scope:
            items.append(t("forums.scope", scope=scope))
        items.append(t("forums.expected", parties=expected_parties(context, forum, orgs)))
        if forum.groups:
            groups = ", ".join(forum_name(g, context.language) for g in forum.groups)
            demo = any(g.demo for g in forum.groups)
            items.append(t("forums.groups_demo" if demo else "forums.groups", groups=groups))
        cadence = (forum.cadence_en or forum.cadence) if context.language == "en" else forum.cadence
        if cadence:
            items.append(t("forums.cadence", cadence=cadence))
        visible = [
            upcoming[unit.id]
            for unit in (forum, *forum.groups)
            if unit.id in upcoming and viewer.sees(unit)
        ]
        if visible:
            first = min(visible, key=lambda m: (m.starts_at, m.id))
            where = index.by_id(first.forum_id) or forum
            items.append(
                t(
                    "forums.next_meeting",
                    when=t.datetime(first.starts_at),
                    id=meeting_id(first),
                    forum=forum_name(where, context.language),
                )
            )
        if forum.contacts_need_to_know:
            items.append(t("forums.contacts_need_to_know"))
        elif viewer.tree.restricted(forum.id):  # need-to-know meetings, or no free text
            items.append(t("forums.meetings_need_to_know"))
        if forum.no_personal_text:
            items.append(t("forums.no_personal_text"))
        sections.append(Section(forum_name(forum, context.language), items))
    return Reply(
        heading=t("forums.heading"),
        text=t("forums.intro"),
        sections=sections,
        context=t("forums.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="forums",
    names_sv=("forum", "forumen"),
    names_en=("forums",),
    handler=run,
    access=Access.REGISTERED,
    featured=True,
)
