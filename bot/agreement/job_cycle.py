"""`cycle`: a yearly cycle event is coming up (safety survey, citizen promises, follow-up …)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.names import CYCLE_KIND
from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Agreement, CycleEvent


async def render(context: JobContext) -> Reply | None:
    payload, t = context.job.payload, context.t
    event = await context.session.scalar(
        select(CycleEvent)
        .join(Agreement, Agreement.id == CycleEvent.agreement_id)
        .where(Agreement.key == payload["agreement"], CycleEvent.key == payload["event"])
    )
    if event is None:
        return None  # the agreement file no longer has it
    day = date.fromisoformat(str(payload["date"]))
    days = (day - context.now.astimezone(context.settings.tz).date()).days
    name = event.name_en if t.language == "en" else event.name_sv
    key = "cycle.today" if days <= 0 else "cycle.coming"
    return Reply(heading=t("cycle.heading"), text=t(key, name=name, date=t.date(day), days=days))


KIND = JobKind(CYCLE_KIND, render)
