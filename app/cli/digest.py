"""`samverkan digest [--channel ID] [--dry-run]`: post (or print) the weekly digest now."""

from __future__ import annotations

import click
from sqlalchemy import select

from adapters.console import render_replies
from app.cli.common import fail, run_with_database, settings_from
from app.setup import configured_adapters
from bot.channels.audience import EVERYONE, channel_audience
from bot.common.i18n import choose_language
from bot.core.engine import Bot
from bot.digest.build import DigestContext, compose
from bot.digest.planner import digest_channels
from storage.db import Database
from storage.models import Channel


@click.command()
@click.option("--channel", "channel_id", default=None, help="Only this channel (platform id).")
@click.option("--dry-run", is_flag=True, help="Print the digest instead of posting it.")
@click.pass_context
def digest(ctx: click.Context, channel_id: str | None, dry_run: bool) -> None:
    """Post the weekly digest to every subscribed channel now (or print it with --dry-run)."""
    settings = settings_from(ctx)

    async def work(database: Database) -> list[str]:
        bot = Bot(database, settings)
        configured_adapters(bot)
        language = choose_language(settings.locale)
        t = bot.translator(language)
        lines: list[str] = []
        async with database.transaction() as session:
            channels = await digest_channels(session)
            if channel_id is not None:
                channels = [c for c in channels if c.channel_id == channel_id]
                if not channels:
                    exists = await session.scalar(
                        select(Channel.id).where(Channel.channel_id == channel_id)
                    )
                    fail(
                        f"channel {channel_id} is not subscribed to the digest"
                        if exists
                        else f"no channel {channel_id} is known"
                    )
            # Each channel reads its own digest: a restricted forum's items only where bound.
            replies = {}
            for audience in {channel_audience(c) for c in channels} | {EVERYONE}:
                digest = DigestContext(session, t, bot.clock.now(), settings.tz, audience=audience)
                replies[audience] = await compose(digest, bot.catalog.digest_sections)
        if not channels and channel_id is None:
            lines.append("No channel is subscribed to the digest; previewing it instead.")
            lines.append(render_replies([replies[EVERYONE]]))
        for channel in channels:
            reply = replies[channel_audience(channel)]
            label = f"{channel.platform}:{channel.channel_id} ({channel.name or '–'})"
            if dry_run:
                lines.append(f"[{label}]\n{render_replies([reply])}")
                continue
            messenger = bot.messengers.get(channel.platform)
            if messenger is None:
                lines.append(f"{label}: not posted, {channel.platform} is not configured here")
                continue
            await messenger.post(channel, reply)
            lines.append(f"{label}: posted")
        return lines

    for line in run_with_database(ctx, work):
        click.echo(line)
