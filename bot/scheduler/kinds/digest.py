"""`digest`: the weekly digest, posted to a channel still bound as `digest`."""

from __future__ import annotations

from datetime import timedelta

from bot.channels import PURPOSE_DIGEST
from bot.digest import DigestContext, compose
from bot.reply import Reply
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    channel = context.channel
    if channel is None or not any(b.purpose == PURPOSE_DIGEST for b in channel.bindings):
        return None  # unsubscribed since it was planned
    digest = DigestContext(context.session, context.t, context.now, context.settings.tz)
    return await compose(digest)


# A digest more than a day late is replaced by next week's rather than sent.
KIND = JobKind("digest", render, stale_after=timedelta(days=1))
