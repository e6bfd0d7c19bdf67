"""`promise_overdue`: the owner of a commitment hears when it is past its date with no status
update: the day after a tertial report nobody answered for it, or the day after its own date.
Nothing is sent if it was updated (or closed) in the meantime."""

from __future__ import annotations

from datetime import date

from bot.agreement.in_force import load_agreement
from bot.core.reply import Reply
from bot.promises.commitments import load, overdue
from bot.promises.names import PROMISE_OVERDUE_KIND
from bot.promises.render import buttons, overdue_line
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    payload, t = context.job.payload, context.t
    item = await load(context.session, int(payload["commitment"]))
    if item is None:
        return None
    agreement = await load_agreement(context.session, item.agreement_id)
    if agreement is None:
        return None
    tz = context.settings.tz
    late = overdue(item, agreement, context.now.astimezone(tz).date(), tz)
    if late is None or late.day != date.fromisoformat(str(payload["date"])):
        return None  # updated, closed or changed since this was planned
    return Reply(
        heading=t("promises.nudge.heading"),
        text=overdue_line(t, late),
        buttons=buttons(t, item),
        context=t("promises.request.footer", id=f"L{item.id}"),
    )


KIND = JobKind(PROMISE_OVERDUE_KIND, render)
