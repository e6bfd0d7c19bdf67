"""`vem <namn>` / `who <name>`: a person, their organisation, title, roles and forums."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.context import CommandError, Context
from bot.directory import forum_name, load_forum_index, may_see_contacts, memberships_of
from bot.people import find_people
from bot.registry import Access, Command, Param
from bot.reply import FieldItem, Reply, Section, Visibility
from storage.models import ForumMember, Person

MAX_LISTED = 10


def role_names(context: Context, person: Person) -> str:
    return ", ".join(context.t(f"role.person.{role}") for role in person.roles) or "–"


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    found = await find_people(context.session, args["name"])
    if not found:
        raise CommandError("person.not_found", name=args["name"][:80])
    if len(found) > 1:
        lines = [f"{p.name} – {p.title}, {p.organization.short_name}" for p in found[:MAX_LISTED]]
        return Reply(
            text=t("who.several", name=args["name"][:80]),
            sections=[Section(None, lines)],
            visibility=Visibility.ONLY_TO_YOU,
        )
    person = found[0]
    memberships = (
        await context.session.scalars(
            select(ForumMember)
            .where(ForumMember.person_id == person.id)
            .options(selectinload(ForumMember.forum))
        )
    ).all()
    index = await load_forum_index(context.session)
    mine = await memberships_of(context.session, context.person)
    forums = []
    for membership in memberships:
        forum = index.by_id(membership.forum_id)
        if forum is not None and may_see_contacts(context.person, forum, mine):
            role = t(f"role.forum.{membership.role}")
            forums.append(f"{forum_name(forum, context.language)} ({role})")
    fields = [
        FieldItem(t("who.organisation"), person.organization.name),
        FieldItem(t("who.title"), person.title or "–"),
        FieldItem(t("who.email"), person.email or "–"),
        FieldItem(t("who.phone"), person.phone or "–"),
        FieldItem(t("who.roles"), role_names(context, person)),
    ]
    return Reply(
        heading=person.name,
        fields=fields,
        sections=[Section(t("who.forums"), sorted(forums) or [t("who.no_forums")])],
        context=t("who.demo") if person.demo else None,
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="who",
    names_sv=("vem", "vem är"),
    names_en=("who", "who is", "whois"),
    handler=run,
    params=(Param("name", greedy=True),),
    access=Access.REGISTERED,
    featured=True,
)
