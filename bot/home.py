"""The home page a platform shows for a person (Slack's App Home tab): a list of sections.

A section is one plain core function `Context → list[Section]`, registered with
`@home_section`; later features (next meetings, drafts waiting for my organisation, my action
items) add theirs the same way, and every platform renders the result without knowing them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.agreements import agreement_in_force
from bot.context import Context
from bot.core import Bot
from bot.directory import ROLE_ORDER, forum_name, members_of, memberships_of
from bot.identity import resolve_person
from bot.reply import Reply, Section, Visibility
from bot.request import Request
from storage.models import Forum

log = logging.getLogger("samverkan.home")

HomeSection = Callable[[Context], Awaitable[list[Section]]]
SECTIONS: list[HomeSection] = []


def home_section(function: HomeSection) -> HomeSection:
    """Register a section; they are shown in the order they were registered."""
    SECTIONS.append(function)
    return function


async def build_home(bot: Bot, request: Request) -> list[Reply]:
    """The person's home page; a failing section is left out rather than breaking the page."""
    async with bot.database.transaction() as session:
        person = await resolve_person(session, request, bot.clock.now())
        t = bot.translator(bot.language_for(person, request))
        if person is None:
            return [Reply(heading=t("home.heading"), text=t("error.not_registered"))]
        context = Context(request, session, person, t, bot.clock, bot.settings, bot.registry)
        sections: list[Section] = []
        for section in SECTIONS:
            try:
                async with session.begin_nested():
                    sections.extend(await section(context))
            except Exception:
                log.exception("home section %s failed", section.__name__)
        return [
            Reply(
                heading=t("home.heading"),
                text=t("home.intro", name=person.name),
                sections=sections,
                context=t("home.footer"),
                visibility=Visibility.ONLY_TO_YOU,
            )
        ]


@home_section
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


@home_section
async def agreement_days_left(context: Context) -> list[Section]:
    """How long the agreement has left, so the revision is not forgotten."""
    t = context.t
    today = context.now().astimezone(context.settings.tz).date()
    current, successor = await agreement_in_force(context.session, today)
    agreement = current or successor
    if agreement is None:
        return []
    days = (agreement.valid_to - today).days
    if days < 0:
        line = t("home.agreement_expired", date=t.date(agreement.valid_to))
    else:
        line = t("home.agreement_days_left", days=days, date=t.date(agreement.valid_to))
    return [Section(t("home.agreement"), [line])]
