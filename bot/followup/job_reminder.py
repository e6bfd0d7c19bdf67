"""`reminder`: a personal reminder someone asked for with `påminn mig` / `remind me`."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.followup.names import REMINDER_KIND
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply:
    return Reply(heading=context.t("reminder.heading"), text=str(context.job.payload["text"]))


KIND = JobKind(REMINDER_KIND, render, shared=True)
