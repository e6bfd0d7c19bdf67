"""`draft_nudge`: a draft still waits for the signer's organisation to approve this version."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.drafts.names import NUDGE_KIND
from bot.drafts.nudge import nudge_reply, pending_parties
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    payload = context.job.payload
    for waiting in await pending_parties(context.session, context.settings.tz):
        if (
            waiting.draft.id == payload["draft"]
            and waiting.draft.current_version == payload["version"]
            and waiting.organisation.key == payload["organisation"]
        ):
            return nudge_reply(context.t, waiting)
    return None  # approved, withdrawn or replaced by a new version since


KIND = JobKind(NUDGE_KIND, render)
