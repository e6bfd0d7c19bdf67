"""Digest section: the agreement's days left (or that it has run out, and what is missing),
the cycle points that are overdue, and the next dates of the yearly cycle."""

from __future__ import annotations

from sqlalchemy import select

from bot.agreement.cycle import load_state
from bot.agreement.cycle_view import name_of
from bot.agreement.in_force import agreement_in_force, next_occurrence
from bot.agreement.status import run_out_note
from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection
from storage.models import Person

NEXT_EVENTS = 3


async def build(context: DigestContext) -> Section | None:
    t, today = context.t, context.today
    current, successor = await agreement_in_force(context.session, today)
    if current is None:
        return None
    items: list[str] = []
    note = await run_out_note(context.session, t, current, successor, today)
    days_left = (current.ends_on - today).days
    if note is not None:
        items.append(note)
    elif days_left >= 0:
        key = "digest.cycle.days_left" if successor else "digest.cycle.days_left_no_successor"
        items.append(t(key, title=current.title, days=days_left, date=t.date(current.ends_on)))
    state = await load_state(context.session, current, successor)
    late = state.overdue(today)
    if late:
        people = list((await context.session.scalars(select(Person).where(Person.active))).all())
        for point in late:
            who = ", ".join(p.name for p in people if set(point.roles) & set(p.roles or []))
            items.append(
                t("digest.cycle.overdue", date=t.date(point.day), name=name_of(t, point), who=who)
            )
    upcoming = sorted(
        ((next_occurrence(event, today), event) for event in current.cycle_events),
        key=lambda pair: pair[0],
    )
    for day, event in upcoming[: None if context.full else NEXT_EVENTS]:
        name = event.name_en if t.language == "en" else event.name_sv
        items.append(t("digest.cycle.event", date=t.date(day), name=name))
    return Section(t("digest.cycle.title"), items) if items else None


SECTION = DigestSection(order=50, build=build)
