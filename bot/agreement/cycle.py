"""The yearly cycle as points that can be ticked off: date, responsible role, state.

A point is a cycle event of the agreement file in one year, or the one point derived from the
agreement's end: the decisions on a new or revised agreement (kommunstyrelsen and the local
police area chief), done once both are recorded (`förnyelse beslut …`) or a successor is.
Dates are always the local plan's; `source` tells whether the agreement itself makes the point.
The cycle of an agreement runs past its end for as long as no successor is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import on_year
from bot.common.text import fold
from storage.models import Agreement, CycleEvent
from storage.models_lifecycle import CycleCheck, Renewal

UPCOMING = "upcoming"
DONE = "done"
OVERDUE = "overdue"
AGREEMENT = "agreement"
LOCAL = "local"
DECISIONS = "beslut_ny_overenskommelse"
DECISION_ROLES = ("bra_coordinator", "kommunpolis")
# How long after its date an unticked point is chased (reminders, digest).
OVERDUE_WINDOW_DAYS = 120


@dataclass(frozen=True)
class Point:
    key: str
    year: int
    day: date
    source: str
    roles: tuple[str, ...]
    event: CycleEvent | None  # None for the derived decisions point
    check: CycleCheck | None
    decided_on: date | None  # the decisions point: the later of the two decisions
    state: str

    def name(self, language: str, fallback: str) -> str:
        if self.event is None:
            return fallback
        return self.event.name_en if language == "en" else self.event.name_sv

    def when(self, language: str) -> str | None:
        """The agreement's own words for when (`varje höst`), for its points."""
        if self.event is None:
            return None
        return self.event.when_en if language == "en" else self.event.when_sv


def covers(agreement: Agreement, day: date, successor: Agreement | None) -> bool:
    """Whether a date belongs to this agreement's cycle: from its start, to its end, and on
    after the end while no successor is registered."""
    if day < agreement.valid_from:
        return False
    return day <= agreement.ends_on or successor is None


def decisions_done(renewal: Renewal | None, successor: Agreement | None) -> date | None:
    if renewal is not None and renewal.board_date and renewal.police_date:
        return max(renewal.board_date, renewal.police_date)
    if successor is not None:
        return successor.valid_from
    return None


def _state(day: date, today: date, done: bool) -> str:
    if done:
        return DONE
    return OVERDUE if day < today else UPCOMING


def points(
    agreement: Agreement,
    year: int,
    today: date,
    *,
    checks: dict[tuple[str, int], CycleCheck],
    renewal: Renewal | None,
    successor: Agreement | None,
) -> list[Point]:
    """The year's points in date order (empty for a year outside the agreement's cycle)."""
    found: list[Point] = []
    for event in agreement.cycle_events:
        day = on_year(event, year)
        if not covers(agreement, day, successor):
            continue
        check = checks.get((event.key, year))
        roles = (event.responsible_role,) if event.responsible_role else ()
        found.append(
            Point(
                event.key,
                year,
                day,
                event.source,
                roles,
                event,
                check,
                None,
                _state(day, today, check is not None),
            )
        )
    end = agreement.ends_on
    if year == end.year or (successor is None and year > end.year and today.year >= year):
        decided = decisions_done(renewal, successor)
        found.append(
            Point(
                DECISIONS,
                year,
                end,
                AGREEMENT,
                DECISION_ROLES,
                None,
                None,
                decided,
                _state(end, today, decided is not None),
            )
        )
    return sorted(found, key=lambda p: (p.day, p.key))


async def load_checks(
    session: AsyncSession, agreement_ids: list[int]
) -> dict[int, dict[tuple[str, int], CycleCheck]]:
    """Every ticked-off point of the given agreements, by agreement, in one query."""
    rows = await session.scalars(
        select(CycleCheck).where(CycleCheck.agreement_id.in_(agreement_ids))
    )
    found: dict[int, dict[tuple[str, int], CycleCheck]] = {a: {} for a in agreement_ids}
    for row in rows.unique().all():
        found.setdefault(row.agreement_id, {})[(row.point, row.year)] = row
    return found


async def load_renewal(session: AsyncSession, agreement: Agreement) -> Renewal | None:
    return await session.scalar(select(Renewal).where(Renewal.agreement_id == agreement.id))


def overdue(
    agreement: Agreement,
    today: date,
    *,
    checks: dict[tuple[str, int], CycleCheck],
    renewal: Renewal | None,
    successor: Agreement | None,
    window_days: int = OVERDUE_WINDOW_DAYS,
) -> list[Point]:
    """Points past their date within the last `window_days` and not done (older ones are
    still shown as late by `årshjul`, but no longer chased)."""
    since = today - timedelta(days=window_days)
    found = []
    for year in range(since.year, today.year + 1):
        found += [
            p
            for p in points(
                agreement, year, today, checks=checks, renewal=renewal, successor=successor
            )
            if p.state == OVERDUE and p.day >= since
        ]
    unique = {(p.key, p.day): p for p in found}  # the decisions point repeats after the end
    return sorted(unique.values(), key=lambda p: (p.day, p.key))


@dataclass(frozen=True)
class State:
    """What the cycle's points are computed from, loaded once."""

    agreement: Agreement
    successor: Agreement | None
    checks: dict[tuple[str, int], CycleCheck]
    renewal: Renewal | None

    def points(self, year: int, today: date) -> list[Point]:
        return points(
            self.agreement,
            year,
            today,
            checks=self.checks,
            renewal=self.renewal,
            successor=self.successor,
        )

    def overdue(self, today: date) -> list[Point]:
        return overdue(
            self.agreement,
            today,
            checks=self.checks,
            renewal=self.renewal,
            successor=self.successor,
        )


async def load_state(
    session: AsyncSession, agreement: Agreement, successor: Agreement | None
) -> State:
    checks = await load_checks(session, [agreement.id])
    return State(agreement, successor, checks[agreement.id], await load_renewal(session, agreement))


def find_event(agreement: Agreement, words: str) -> CycleEvent | None:
    """The cycle event named by its key or (part of) its name, in either language; None when
    nothing or more than one matches."""
    wanted = fold(words)
    if not wanted:
        return None
    events = agreement.cycle_events
    exact = [e for e in events if wanted in (fold(e.key), fold(e.name_sv), fold(e.name_en))]
    if len(exact) == 1:
        return exact[0]
    partial = [
        e
        for e in events
        if wanted in fold(e.name_sv) or wanted in fold(e.name_en) or fold(e.key).startswith(wanted)
    ]
    return partial[0] if len(partial) == 1 else None


def year_to_tick(state: State, event: CycleEvent, today: date) -> int | None:
    """The occurrence `årshjul klar` ticks: of last year's, this year's and next year's, the
    one not yet done whose date is nearest today; None when all of them are done."""
    candidates = [
        year
        for year in (today.year - 1, today.year, today.year + 1)
        if (event.key, year) not in state.checks
        and covers(state.agreement, on_year(event, year), state.successor)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda year: (abs((on_year(event, year) - today).days), year))
