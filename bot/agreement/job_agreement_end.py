"""`agreement_end`: the agreement ends soon, and a new one needs decisions by both parties."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.names import AGREEMENT_END_KIND
from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Agreement


async def render(context: JobContext) -> Reply | None:
    payload, t = context.job.payload, context.t
    agreement = await context.session.scalar(
        select(Agreement).where(Agreement.key == payload["agreement"])
    )
    if agreement is None:
        return None
    day = date.fromisoformat(str(payload["date"]))
    if agreement.valid_to != day:
        return None  # the agreement was extended or replaced since this was planned
    days = (day - context.now.astimezone(context.settings.tz).date()).days
    return Reply(
        heading=t("agreement_end.heading", title=agreement.title),
        text=t("agreement_end.text", date=t.date(day), days=days),
    )


KIND = JobKind(AGREEMENT_END_KIND, render)
