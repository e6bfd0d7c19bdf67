"""Which agreement is in force, what follows it, and when its yearly cycle events fall.

One place for these rules, so the `överenskommelse` command, the App Home, the digest, the
drafts' policy and the reminder planner all agree on "the current agreement".
"""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Agreement, CycleEvent


async def load_agreements(session: AsyncSession) -> list[Agreement]:
    """Every agreement with its cycle events, oldest first, in two queries."""
    query = (
        select(Agreement)
        .options(selectinload(Agreement.cycle_events))
        .order_by(Agreement.valid_from, Agreement.id)
    )
    return list((await session.scalars(query)).all())


async def load_agreement(session: AsyncSession, agreement_id: int) -> Agreement | None:
    """One agreement with its cycle events."""
    return await session.scalar(
        select(Agreement)
        .options(selectinload(Agreement.cycle_events))
        .where(Agreement.id == agreement_id)
    )


def on_year(event: CycleEvent, year: int) -> date:
    """The event's date in a year; a day past the month's end falls on its last day."""
    last = calendar.monthrange(year, event.month)[1]
    return date(year, event.month, min(event.day, last))


def next_occurrence(event: CycleEvent, today: date) -> date:
    """The next date (today included) on which a yearly cycle event falls."""
    for year in (today.year, today.year + 1):
        candidate = on_year(event, year)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year always qualifies")


def current_and_next(
    agreements: list[Agreement], today: date
) -> tuple[Agreement | None, Agreement | None]:
    """The agreement in force today (else the latest that was), and the first one after it.

    "In force" runs to `ends_on`: the agreed end, or an extension's. A successor takes over on
    its first day.
    """
    ordered = sorted(agreements, key=lambda a: a.valid_from)
    running = [a for a in ordered if a.valid_from <= today <= a.ends_on]
    current = running[-1] if running else None
    if current is None:
        past = [a for a in ordered if a.ends_on < today]
        current = past[-1] if past else None
    after = current.valid_from if current else today
    successor = next((a for a in ordered if a.valid_from > after), None)
    return current, successor


def successor_of(agreements: list[Agreement], agreement: Agreement) -> Agreement | None:
    """The first agreement that starts after this one, if one is registered."""
    later = [a for a in agreements if a.valid_from > agreement.valid_from]
    return min(later, key=lambda a: a.valid_from) if later else None


def has_run_out(agreement: Agreement, successor: Agreement | None, today: date) -> bool:
    """Past its end (an extension counts) with no successor registered."""
    return successor is None and today > agreement.ends_on


async def agreement_in_force(
    session: AsyncSession, today: date
) -> tuple[Agreement | None, Agreement | None]:
    return current_and_next(await load_agreements(session), today)
