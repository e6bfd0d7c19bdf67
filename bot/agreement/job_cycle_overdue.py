"""`cycle_overdue`: a cycle point's date has passed and nobody ticked it off; its responsible
people are reminded, with a button that ticks it off. Nothing is sent once it is done."""

from __future__ import annotations

from bot.agreement.job_cycle import point_of
from bot.agreement.names import CYCLE_DONE_ROUTE, CYCLE_OVERDUE_KIND
from bot.core.reply import Button, ButtonStyle, Reply
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    t = context.t
    found = await point_of(context)
    if found is None:
        return None
    event, day = found
    name = event.name_en if t.language == "en" else event.name_sv
    payload = {"agreement": context.job.payload["agreement"], "point": event.key, "year": day.year}
    return Reply(
        heading=t("cycle.overdue.heading"),
        text=t("cycle.overdue.text", name=name, date=t.date(day), point=event.key),
        buttons=[Button(t("cycle.overdue.button"), CYCLE_DONE_ROUTE, payload, ButtonStyle.PRIMARY)],
    )


KIND = JobKind(CYCLE_OVERDUE_KIND, render)
