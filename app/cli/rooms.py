"""`samverkan link-channels --slack C… --teams 19:…`: link two channels as one room."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.cli.common import run_with_database
from bot.channels.rooms import LinkRefused, link_channels
from bot.common.clock import SystemClock
from storage.audit import Actor, record
from storage.db import Database
from storage.models import Channel

CLI_ACTOR = Actor(label="samverkan link-channels", platform="cli")


@click.command("link-channels")
@click.option("--slack", "slack_id", required=True, help="The Slack channel id (C…).")
@click.option("--teams", "teams_id", required=True, help="The Teams conversation id (19:…).")
@click.pass_context
def link_channels_command(ctx: click.Context, slack_id: str, teams_id: str) -> None:
    """Link a Slack channel and a Teams channel the bot is in, so drafts reach both."""

    async def work(database: Database) -> str:
        now = SystemClock().now()
        async with database.transaction() as session:
            found: list[Channel] = []
            for platform, channel_id in (("slack", slack_id), ("teams", teams_id)):
                rows = (
                    await session.scalars(
                        select(Channel).where(
                            Channel.platform == platform, Channel.channel_id == channel_id
                        )
                    )
                ).all()
                if len(rows) != 1:
                    raise click.ClickException(
                        f"the bot is not in {platform} channel {channel_id}; add it there first"
                        if not rows
                        else f"{platform} channel {channel_id} is known in several workspaces"
                    )
                found.append(rows[0])
            slack, teams = found
            try:
                linked = await link_channels(session, slack, teams, now, CLI_ACTOR.label)
            except LinkRefused as refusal:
                raise click.ClickException(f"cannot link: {refusal.key}") from None
            if linked.created:
                record(
                    session,
                    actor=CLI_ACTOR,
                    at=now,
                    action="room.link",
                    entity_type="room_link",
                    entity_id=linked.link.id,
                    after={"channels": [f"slack:{slack_id}", f"teams:{teams_id}"]},
                )
            state = "linked" if linked.created else "already linked"
            return f"{state}: slack {slack.name or slack_id} ↔ teams {teams.name or teams_id}"

    click.echo(run_with_database(ctx, work))
