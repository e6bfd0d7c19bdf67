"""Which agreement is in force, what follows it, and when its yearly cycle events fall.

One place for these rules, so the `överenskommelse` command, the App Home, the digest, the
drafts' policy and the reminder planner all agree on "the current agreement".
"""

from __future__ import annotations

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


def next_occurrence(event: CycleEvent, today: date) -> date:
    """The next date (today included) on which a yearly cycle event falls."""
    for year in (today.year, today.year + 1):
        day = min(event.day, 28) if event.month == 2 else event.day
        candidate = date(year, event.month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year always qualifies")


def current_and_next(
    agreements: list[Agreement], today: date
) -> tuple[Agreement | None, Agreement | None]:
    """The agreement in force today (else the latest that was), and the first one after it."""
    ordered = sorted(agreements, key=lambda a: a.valid_from)
    current = next((a for a in ordered if a.valid_from <= today <= a.valid_to), None)
    if current is None:
        past = [a for a in ordered if a.valid_to < today]
        current = past[-1] if past else None
    after = current.valid_to if current else today
    successor = next((a for a in ordered if a.valid_from > after), None)
    return current, successor


async def agreement_in_force(
    session: AsyncSession, today: date
) -> tuple[Agreement | None, Agreement | None]:
    return current_and_next(await load_agreements(session), today)
