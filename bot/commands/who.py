"""`vem <namn>` / `who <name>`: a person, their organisation, title, roles and forums.

Answered from the directory in memory, like `kontakter`: no table scan of people per question.
"""

from __future__ import annotations

from bot.common.phone import show_phone
from bot.common.text import fold
from bot.core.context import CommandError, DirectoryContext
from bot.core.registry import Access, Command, Param
from bot.core.reply import FieldItem, Reply, Section, Visibility
from bot.directory.forums import forum_name, may_see_contacts
from bot.directory.lookup import Found, find_by_function
from bot.directory.people import match_people
from bot.directory.views import PersonView

MAX_LISTED = 10


def role_names(context: DirectoryContext, person: PersonView) -> str:
    return ", ".join(context.t(f"role.person.{role}") for role in person.roles) or "–"


def answer(context: DirectoryContext, args: dict[str, str]) -> Reply:
    t, directory, query = context.t, context.directory, args["name"]
    exact = [p for p in directory.people.values() if fold(p.name) == fold(query)]
    by_function = (
        None if exact else find_by_function(directory, context.person, query, context.language)
    )
    if by_function is not None:
        return _functions(context, query, by_function)
    found = exact or match_people(directory.people.values(), query)
    if not found:
        raise CommandError("person.not_found", name=query[:80])
    if len(found) > 1:
        lines = [
            f"{p.name} – {p.title}, {directory.organization(p.organization_id).short_name}"
            for p in found[:MAX_LISTED]
        ]
        return Reply(
            text=t("who.several", name=query[:80]),
            sections=[Section(None, lines)],
            visibility=Visibility.ONLY_TO_YOU,
        )
    return _card(context, found[0])


def _functions(context: DirectoryContext, query: str, found: list[Found]) -> Reply:
    """One person: their card; several: one line each with why they were found."""
    t, directory = context.t, context.directory
    people = {f.person.id for f in found}
    if not found:
        raise CommandError("people.who_nobody", what=query[:80])
    if len(people) == 1:
        return _card(context, found[0].person)
    lines = [
        f"{f.person.name} – {f.because}, "
        f"{directory.organization(f.person.organization_id).short_name}"
        for f in found[:MAX_LISTED]
    ]
    return Reply(
        text=t("people.who_function", what=query[:80]),
        sections=[Section(None, lines)],
        context=t("people.who_function_hint"),
        visibility=Visibility.ONLY_TO_YOU,
    )


def _card(context: DirectoryContext, person: PersonView) -> Reply:
    t, directory = context.t, context.directory
    mine = directory.forum_ids_of(context.person)
    forums = []
    for membership in directory.roles.get(person.id, ()):
        forum = directory.index.by_id(membership.forum_id)
        if forum is not None and may_see_contacts(context.person, forum, mine):
            role = t(f"role.forum.{membership.role}")
            forums.append(f"{forum_name(forum, context.language)} ({role})")
    fields = [
        FieldItem(t("who.organisation"), directory.organization(person.organization_id).name),
        FieldItem(t("who.title"), person.title or "–"),
        FieldItem(t("who.email"), person.email or "–"),
        FieldItem(t("who.phone"), show_phone(person.phone) or "–"),
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
    answer=answer,
    params=(Param("name", greedy=True, lookup=True),),
    access=Access.REGISTERED,
    featured=True,
)
