"""`action_overdue`: a nudge on the first working morning after the due date, then weekly.

Each nudge books the next (at most MAX_NUDGES), so closing the item ends them: a nudge for a
closed item renders nothing.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.reply import Reply
from bot.followup.action_items import OPEN
from bot.followup.job_action_due import item_reminder
from bot.followup.names import ACTION_OVERDUE_KIND
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.kind import JobContext, JobKind
from bot.scheduler.workdays import local_moment, working_day_on_or_after
from storage.models import ActionItem

MAX_NUDGES = 4


async def render(context: JobContext) -> Reply | None:
    payload = context.job.payload
    item = await context.session.get(ActionItem, int(payload["item"]))
    if item is None or item.status != OPEN:
        return None
    nudge = int(payload.get("nudge", 1))
    if nudge < MAX_NUDGES:
        tz = context.settings.tz
        today = context.now.astimezone(tz).date()
        day = working_day_on_or_after(today + timedelta(days=7))
        await schedule(
            context.session,
            ACTION_OVERDUE_KIND,
            local_moment(day, context.scheduler.morning, tz),
            {"item": item.id, "nudge": nudge + 1},
            (Target.PERSON, item.owner_id),
            f"action_overdue:{item.id}:{day.isoformat()}",
            context.now,
        )
    return await item_reminder(context, item, "action.overdue")


KIND = JobKind(ACTION_OVERDUE_KIND, render)
