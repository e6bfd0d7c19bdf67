"""Which agreement a year's promises and a dated basis document belong to.

The agreement in force on the day; after the last one ran out with no successor, still that
one (the cycle goes on under it until a successor or an extension is registered).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import load_agreements
from bot.core.context import CommandError
from storage.models import Agreement


def agreement_on(agreements: list[Agreement], day: date) -> Agreement | None:
    running = [a for a in agreements if a.valid_from <= day <= a.ends_on]
    if running:
        return max(running, key=lambda a: a.valid_from)
    before = [a for a in agreements if a.valid_from <= day]
    if before:
        return max(before, key=lambda a: a.valid_from)
    return min(agreements, key=lambda a: a.valid_from) if agreements else None


async def agreement_for_year(session: AsyncSession, year: int) -> Agreement:
    """The agreement a year's promises belong to (the one in force on 1 July of that year)."""
    found = agreement_on(await load_agreements(session), date(year, 7, 1))
    if found is None:
        raise CommandError("agreement.none")
    return found


async def agreement_for_day(session: AsyncSession, day: date) -> Agreement:
    found = agreement_on(await load_agreements(session), day)
    if found is None:
        raise CommandError("agreement.none")
    return found


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def preparing_year(today: date) -> int:
    """The year whose promises are being prepared: the coming one in November and December."""
    return today.year + 1 if today.month >= 11 else today.year


def listing_years(today: date) -> list[int]:
    """`löften` without a year: this year; in December also the coming one; in January also
    last year's, which is followed up then."""
    if today.month == 12:
        return [today.year, today.year + 1]
    if today.month == 1:
        return [today.year - 1, today.year]
    return [today.year]


def basis_years(today: date) -> list[int]:
    """`underlag` without a year: this year; in January and February also last autumn's."""
    return [today.year - 1, today.year] if today.month <= 2 else [today.year]
