"""`samverkan worker` (a process that only sends) and `samverkan jobs` (what is scheduled)."""

from __future__ import annotations

import asyncio
import signal

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.common import checked, run_with_database, translator_for
from app.setup import configured_adapters
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status, Target
from bot.scheduler.reach import is_waiting
from storage.db import Database
from storage.models import Channel, Job, Person

OPEN = (Status.PENDING.value, Status.CLAIMED.value, Status.PARKED.value)


@click.command()
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Send due reminders and digests without serving HTTP (run as many as you like)."""
    config = checked(ctx)
    assert config.settings is not None
    settings = config.settings

    async def work(database: Database) -> None:
        bot = Bot(database, settings, scheduler=config.scheduler)
        # Adapters register their messengers on the bot.
        configured_adapters(bot, config.slack, config.teams)
        dispatcher = Dispatcher(bot)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        click.echo(f"Samverkansboten skickar schemalagda meddelanden ({dispatcher.worker}).")
        await dispatcher.run(stop)

    run_with_database(ctx, work)


@click.command()
@click.option("--parked", is_flag=True, help="Only jobs that failed too often and were parked.")
@click.option("--all", "show_all", is_flag=True, help="Also jobs already sent, dropped or skipped.")
@click.option("--limit", default=200, show_default=True, help="At most this many rows.")
@click.pass_context
def jobs(ctx: click.Context, parked: bool, show_all: bool, limit: int) -> None:
    """List scheduled jobs (pending, in progress, parked), soonest first."""

    t = translator_for(ctx)

    async def work(database: Database) -> tuple[list[Job], dict[str, str]]:
        query = select(Job).order_by(Job.due, Job.id).limit(limit)
        if parked:
            query = query.where(Job.status == Status.PARKED.value)
        elif not show_all:
            query = query.where(Job.status.in_(OPEN))
        async with database.sessions() as session:
            found = list((await session.scalars(query)).all())
            return found, await recipient_names(session, found)

    rows, names = run_with_database(ctx, work)
    if not rows:
        click.echo(t("people.jobs.none"))
        return
    table = [
        [
            t("people.jobs.id"),
            t("people.jobs.due"),
            t("people.jobs.status"),
            t("people.jobs.kind"),
            t("people.jobs.recipient"),
            t("people.jobs.attempts"),
            t("people.jobs.note"),
        ]
    ]
    for job in rows:
        notes = []
        if is_waiting(job):
            notes.append(t("people.jobs.waiting"))
        elif job.last_error:
            notes.append(job.last_error[:120])
        if job.late:
            notes.append(t("people.jobs.late"))
        table.append(
            [
                str(job.id),
                f"{job.due:%Y-%m-%d %H:%M}Z",
                job.status,
                job.kind,
                names.get(
                    f"{job.target_kind}:{job.target_id}", f"{job.target_kind}:{job.target_id}"
                ),
                str(job.attempts),
                "; ".join(notes),
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


async def recipient_names(session: AsyncSession, jobs: list[Job]) -> dict[str, str]:
    """`person:7` → `Sara Nilsson`, `channel:3` → `#brå (slack)`, `system:0` → `system`: two
    queries whatever the number of jobs."""
    names = {f"{Target.SYSTEM.value}:0": "system"}
    people = {j.target_id for j in jobs if j.target_kind == Target.PERSON.value}
    channels = {j.target_id for j in jobs if j.target_kind == Target.CHANNEL.value}
    if people:
        for person_id, name in await session.execute(
            select(Person.id, Person.name).where(Person.id.in_(people))
        ):
            names[f"{Target.PERSON.value}:{person_id}"] = name
    if channels:
        for channel_id, channel_name, raw, platform in await session.execute(
            select(Channel.id, Channel.name, Channel.channel_id, Channel.platform).where(
                Channel.id.in_(channels)
            )
        ):
            names[f"{Target.CHANNEL.value}:{channel_id}"] = f"#{channel_name or raw} ({platform})"
    return names
