"""`plan`: the daily housekeeping job that runs every planner and books tomorrow's run."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from bot.scheduler.names import PLAN_KIND
from bot.scheduler.planning import next_plan, run_planners, schedule_plan


async def render(context: JobContext) -> Reply | None:
    tz = context.settings.tz
    planners = context.catalog.planners
    await run_planners(planners, context.session, context.now, tz, context.scheduler)
    due, day = next_plan(context.now, tz, context.scheduler)
    await schedule_plan(context.session, due, day, context.now)
    return None


KIND = JobKind(PLAN_KIND, render)
