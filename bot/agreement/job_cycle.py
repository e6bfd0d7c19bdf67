"""`cycle`: a yearly cycle point is coming up (safety survey, citizen promises, follow-up …).

Nothing is sent for a point already ticked off, or one the agreement file no longer has.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Agreement, CycleEvent
from storage.models_lifecycle import CycleCheck


async def point_of(context: JobContext) -> tuple[CycleEvent, date] | None:
    """The job's cycle event and date, or None when it is gone or already ticked off."""
    payload = context.job.payload
    event = await context.session.scalar(
        select(CycleEvent)
        .join(Agreement, Agreement.id == CycleEvent.agreement_id)
        .where(Agreement.key == payload["agreement"], CycleEvent.key == payload["event"])
    )
    if event is None:
        return None  # the agreement file no longer has it
    day = date.fromisoformat(str(payload["date"]))
    done = await context.session.scalar(
        select(CycleCheck.id).where(
            CycleCheck.agreement_id == event.agreement_id,
            CycleCheck.point == event.key,
            CycleCheck.year == day.year,
        )
    )
    return None if done is not None else (event, day)


async def render(context: JobContext) -> Reply | None:
    t = context.t
    found = await point_of(context)
    if found is None:
        return None
    event, day = found
    days = (day - context.now.astimezone(context.settings.tz).date()).days
    name = event.name_en if t.language == "en" else event.name_sv
    key = "cycle.today" if days <= 0 else "cycle.coming"
    return Reply(heading=t("cycle.heading"), text=t(key, name=name, date=t.date(day), days=days))


KIND = JobKind("cycle", render)
