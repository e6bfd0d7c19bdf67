"""`draft_changes_requested`: a signer sent the author's draft back with a comment."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.drafts.author_notice import changes_reply
from bot.drafts.names import CHANGES_REQUESTED_KIND
from bot.drafts.service import CHANGES_REQUESTED, load
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    payload = context.job.payload
    draft = await load(context.session, int(payload["draft"]))
    if (
        draft is None
        or draft.state != CHANGES_REQUESTED
        or draft.current_version != payload["version"]
    ):
        return None  # edited, withdrawn or sent since: nothing left to say
    request = next((d for d in draft.decisions if d.id == payload["request"]), None)
    return changes_reply(context.t, draft, request) if request is not None else None


KIND = JobKind(CHANGES_REQUESTED_KIND, render)
