"""`agreement_end`: the agreement ends soon; a new one needs decisions by kommunstyrelsen and
the local police area chief. The message names the steps of the renewal still missing, and is
not sent once a successor is registered or the end has moved (an extension)."""

from __future__ import annotations

from datetime import date

from bot.agreement.in_force import load_agreements, successor_of
from bot.agreement.names import AGREEMENT_END_KIND
from bot.agreement.status import missing_steps
from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    payload, t = context.job.payload, context.t
    agreements = await load_agreements(context.session)
    agreement = next((a for a in agreements if a.key == payload["agreement"]), None)
    if agreement is None:
        return None
    day = date.fromisoformat(str(payload["date"]))
    successor = successor_of(agreements, agreement)
    if agreement.ends_on != day or successor is not None:
        return None  # extended, or replaced, since this was planned
    days = (day - context.now.astimezone(context.settings.tz).date()).days
    return Reply(
        heading=t("agreement_end.heading", title=agreement.title),
        text=t(
            "agreement_end.text",
            date=t.date(day),
            days=days,
            missing=await missing_steps(context.session, t, agreement, successor),
        ),
    )


KIND = JobKind(AGREEMENT_END_KIND, render)
