"""`digest`: the weekly digest, posted to a channel still bound as `digest` (or linked to one)."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.audience import channel_audience
from bot.core.reply import Reply
from bot.digest.build import DigestContext, compose
from bot.digest.names import DIGEST_KIND
from bot.digest.planner import digest_channels
from bot.scheduler.kind import JobContext, JobKind


async def render(context: JobContext) -> Reply | None:
    channel = context.channel
    subscribed = {c.id for c in await digest_channels(context.session)}
    if channel is None or channel.id not in subscribed:
        return None  # unsubscribed (or unlinked) since it was planned
    # Read by the channel: a restricted forum's items only where the channel is bound to it.
    digest = DigestContext(
        context.session,
        context.t,
        context.now,
        context.settings.tz,
        audience=channel_audience(channel),
    )
    return await compose(digest, context.catalog.digest_sections)


# A digest more than a day late is replaced by next week's rather than sent.
KIND = JobKind(DIGEST_KIND, render, stale_after=timedelta(days=1))
