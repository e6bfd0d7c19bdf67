"""`kontakter <forum>` / `contacts <forum>`: who represents each party, and how to reach them.

Answered from the directory in memory (`bot.directory.cache`): the most asked question costs
one statement. Need-to-know forums show their contacts only to the forum's members and admins;
anyone else gets a refusal that reveals no names.
"""

from __future__ import annotations

from typing import Any

from bot.common.phone import show_phone
from bot.core.context import CommandError, Context, DirectoryContext
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import ForumIndex, forum_name, load_forum_index, may_see_contacts
from bot.directory.views import ForumView, MemberView


def contact_line(context: DirectoryContext, member: MemberView) -> str:
    person = member.person
    parts = [person.name]
    if person.title:
        parts[0] += f", {person.title}"
    parts.append(context.t(f"role.forum.{member.role}"))
    parts += [value for value in (person.email, show_phone(person.phone)) if value]
    return " · ".join(parts)


def forum_not_found(index: ForumIndex[Any], query: str) -> CommandError:
    """The refusal for a forum name that matches nothing, listing the forums that exist."""
    names = ", ".join(f.key for f in index.top_level())
    return CommandError("forum.unknown", name=query[:80], forums=names)


async def unknown_forum(context: Context, query: str) -> CommandError:
    return forum_not_found(await load_forum_index(context.session), query)


def answer(context: DirectoryContext, args: dict[str, str]) -> Reply:
    t, directory = context.t, context.directory
    forum = directory.index.match(args["forum"])
    if forum is None:
        raise forum_not_found(directory.index, args["forum"])
    if not may_see_contacts(context.person, forum, directory.forum_ids_of(context.person)):
        raise CommandError("contacts.need_to_know", forum=forum_name(forum, context.language))
    units: list[ForumView] = [forum, *forum.groups]
    sections: list[Section] = []
    for unit in units:
        unit_members = directory.members_of([unit.id])
        if unit is not forum and not unit_members:
            continue
        for org in directory.organizations:
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
    answer=answer,
    params=(Param("forum", greedy=True, lookup=True),),
    access=Access.REGISTERED,
    featured=True,
)
