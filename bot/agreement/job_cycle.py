"""`cycle`: a yearly cycle point is coming up (safety survey, citizen promises, follow-up …).

Nothing is sent for a point already ticked off, or one the agreement file no longer has.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.cycle import covers
from bot.agreement.in_force import load_agreements, successor_of
from bot.agreement.names import CYCLE_KIND
from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from storage.models import CycleEvent
from storage.models_lifecycle import CycleCheck


async def point_of(context: JobContext) -> tuple[CycleEvent, date] | None:
    """The job's cycle event and date, or None when it is gone, already ticked off, or now in
    a successor's period (registered after this was planned; the successor reminds of it)."""
    payload = context.job.payload
    agreements = await load_agreements(context.session)
    agreement = next((a for a in agreements if a.key == payload["agreement"]), None)
    events = agreement.cycle_events if agreement is not None else []
    event = next((e for e in events if e.key == payload["event"]), None)
    if agreement is None or event is None:
        return None  # the agreement file no longer has it
    day = date.fromisoformat(str(payload["date"]))
    if not covers(agreement, day, successor_of(agreements, agreement)):
        return None
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


KIND = JobKind(CYCLE_KIND, render)
