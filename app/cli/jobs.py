"""`samverkan worker` (a process that only sends) and `samverkan jobs` (what is scheduled)."""

from __future__ import annotations

import asyncio
import signal

import click
from sqlalchemy import select

from app.cli.common import checked, run_with_database
from app.setup import configured_adapters
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status
from storage.db import Database
from storage.models import Job

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

    async def work(database: Database) -> list[Job]:
        query = select(Job).order_by(Job.due, Job.id).limit(limit)
        if parked:
            query = query.where(Job.status == Status.PARKED.value)
        elif not show_all:
            query = query.where(Job.status.in_(OPEN))
        async with database.sessions() as session:
            return list((await session.scalars(query)).all())

    rows = run_with_database(ctx, work)
    if not rows:
        click.echo("No jobs.")
        return
    for job in rows:
        line = (
            f"{job.id:>6}  {job.due:%Y-%m-%d %H:%M}Z  {job.status:<9} {job.kind:<16} "
            f"{job.target_kind}:{job.target_id}  attempts={job.attempts}"
        )
        if job.late:
            line += "  late"
        if job.last_error:
            line += f"  error: {job.last_error[:120]}"
        click.echo(line)
