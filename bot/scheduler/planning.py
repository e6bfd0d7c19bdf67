"""Planning: turn what the database says (cycle dates, digest channels, action items) into jobs.

A daily `plan` job runs every planner the feature packages declare (each a
`async def plan(window: PlanWindow) -> None` in the package's `planner.py`, listed in its
`Feature`), then schedules tomorrow's `plan`.
Dedupe keys make planning idempotent, so replicas and restarts may plan as often as they like.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler.jobs import SYSTEM, schedule
from bot.scheduler.names import PLAN_KIND
from bot.scheduler.settings import SchedulerSettings
from bot.scheduler.workdays import local_moment
from storage.db import Database


@dataclass(frozen=True)
class PlanWindow:
    """Jobs due between `start` and `end` are planned now; `now` is when they are created."""

    session: AsyncSession
    now: datetime
    start: datetime
    end: datetime
    tz: ZoneInfo
    settings: SchedulerSettings

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end

    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


Planner = Callable[[PlanWindow], Awaitable[None]]


async def run_planners(
    planners: Sequence[Planner],
    session: AsyncSession,
    now: datetime,
    tz: ZoneInfo,
    settings: SchedulerSettings,
) -> None:
    window = PlanWindow(
        session,
        now,
        now - timedelta(days=settings.grace_days),
        now + timedelta(days=settings.horizon_days),
        tz,
        settings,
    )
    for planner in planners:
        await planner(window)


SOON = timedelta(days=2)


async def plan_soon(
    session: AsyncSession,
    now: datetime,
    tz: ZoneInfo,
    settings: SchedulerSettings,
    planner: Planner,
) -> None:
    """Run one planner at once for the next two days, for what was booked between daily runs.

    The daily plan covers everything further ahead; this closes the gap for a meeting booked
    (or moved) today for today or tomorrow, whose reminders the next daily run would be too
    late for. Dedupe keys make the overlap with the daily run harmless.
    """
    await planner(PlanWindow(session, now, now, now + SOON, tz, settings))


async def schedule_plan(session: AsyncSession, due: datetime, day: date, now: datetime) -> None:
    await schedule(session, PLAN_KIND, due, {}, SYSTEM, f"plan:{day.isoformat()}", now)


async def ensure_planned(database: Database, now: datetime, tz: ZoneInfo) -> None:
    """Make sure today's planning runs (at start, so a fresh install plans at once)."""
    async with database.transaction() as session:
        await schedule_plan(session, now, now.astimezone(tz).date(), now)


def next_plan(now: datetime, tz: ZoneInfo, settings: SchedulerSettings) -> tuple[datetime, date]:
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return local_moment(tomorrow, settings.plan_at, tz), tomorrow
