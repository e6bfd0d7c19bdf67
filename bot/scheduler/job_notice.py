"""`notice`: a catalog message sent as is, e.g. telling an admin that a job was parked."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.scheduler.kind import JobContext, JobKind
from bot.scheduler.names import NOTICE_KIND


async def render(context: JobContext) -> Reply:
    payload = context.job.payload
    values = dict(payload.get("values") or {})
    return Reply(text=context.t(str(payload["key"]), **values))


# A notice that cannot be sent is not reported again, or a broken admin chat would loop.
# Its text is its payload in the recipient's language, so a burst renders it once (`shared`).
KIND = JobKind(NOTICE_KIND, render, notify_on_park=False, shared=True)
