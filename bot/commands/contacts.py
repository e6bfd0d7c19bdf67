"""`kontakter <forum>` / `contacts <forum>`: who represents each party, and how to reach them.

Need-to-know forums show their contacts only to the forum's members and admins; anyone else
gets a refusal that reveals no names.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.context import CommandError, Context
from bot.directory import ForumIndex, forum_name, may_see_contacts, members_of, memberships_of
from bot.registry import Access, Command, Param
from bot.reply import Reply, Section, Visibility
from storage.models import Forum, ForumMember, Organization


def contact_line(context: Context, member: ForumMember) -> str:
    person = member.person
    parts = [person.name]
    if person.title:
        parts[0] += f", {person.title}"
    parts.append(context.t(f"role.forum.{member.role}"))
    parts += [value for value in (person.email, person.phone) if value]
    return " · ".join(parts)


async def unknown_forum(context: Context, query: str) -> CommandError:
    index = await ForumIndex.load(context.session)
    names = ", ".join(f.key for f in index.top_level())
    return CommandError("forum.unknown", name=query[:80], forums=names)


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    index = await ForumIndex.load(context.session)
    forum = index.match(args["forum"])
    if forum is None:
        raise await unknown_forum(context, args["forum"])
    mine = await memberships_of(context.session, context.person)
    if not may_see_contacts(context.person, forum, mine):
        raise CommandError("contacts.need_to_know", forum=forum_name(forum, context.language))
    orgs = list((await context.session.scalars(select(Organization))).all())
    units: list[Forum] = [forum, *forum.groups]
    members = await members_of(context.session, [u.id for u in units])
    sections: list[Section] = []
    for unit in units:
        unit_members = [m for m in members if m.forum_id == unit.id]
        if unit is not forum and not unit_members:
            continue
        for org in orgs:
            lines = [
                contact_line(context, m) for m in unit_members if m.person.organization_id == org.id
            ]
            if not lines and org.key not in unit.expected_orgs:
                continue
            if not lines and unit is forum and forum.groups:
                continue  # the groups below carry the forum's members
            title = (
                org.short_name
                if unit is forum
                else f"{forum_name(unit, context.language)} – {org.short_name}"
            )
            sections.append(Section(title, lines or [t("contacts.none_registered")]))
    return Reply(
        heading=t("contacts.heading", forum=forum_name(forum, context.language)),
        sections=sections,
        context=t("privacy.no_personal_data") if forum.no_personal_text else None,
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="contacts",
    names_sv=("kontakter", "kontakt", "kontaktpersoner"),
    names_en=("contacts", "contact"),
    handler=run,
    params=(Param("forum", greedy=True),),
    access=Access.REGISTERED,
    featured=True,
)
