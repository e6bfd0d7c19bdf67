"""`promise_status`: before a tertial report, each owner of an open commitment is asked for its
status and outcome, with buttons to set them (sent on a working morning, like every personal
message). A commitment closed since it was planned is not asked about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.in_force import load_agreement
from bot.core.reply import Reply
from bot.promises.commitments import load
from bot.promises.names import STATUS_REQUEST_KIND
from bot.promises.render import buttons, line
from bot.promises.words import CLOSED
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Organization


async def render(context: JobContext) -> Reply | None:
    payload, t = context.job.payload, context.t
    item = await load(context.session, int(payload["commitment"]))
    if item is None or item.status in CLOSED:
        return None
    agreement = await load_agreement(context.session, item.agreement_id)
    event = (
        next((e for e in agreement.cycle_events if e.key == payload["event"]), None)
        if agreement
        else None
    )
    if event is None:
        return None  # the point is gone from the agreement file
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    day = date.fromisoformat(str(payload["date"]))
    report = event.name_en if t.language == "en" else event.name_sv
    return Reply(
        heading=t("promises.request.heading", report=report, date=t.date(day)),
        text=t("promises.request.text", line=line(t, item, orgs)),
        buttons=buttons(t, item),
        context=t("promises.request.footer", id=f"L{item.id}"),
    )


KIND = JobKind(STATUS_REQUEST_KIND, render)
