"""`samverkan serve`: one aiohttp server for health, metrics, Slack and Teams."""

from __future__ import annotations

import asyncio
import logging

import click
from aiohttp import web

from app.cli.common import checked, run_with_database
from app.server import build_app
from app.setup import configured_adapters
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from storage.db import Database

log = logging.getLogger("samverkan.serve")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=3978, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Run the bot's web server (Slack and Teams endpoints, /healthz, /readyz, /metrics)."""
    config = checked(ctx)  # before anything listens: a bad setting ends here, in one line
    assert config.settings is not None
    settings = config.settings
    logging.getLogger("samverkan").setLevel(logging.INFO)

    async def work(database: Database) -> None:
        bot = Bot(database, settings, scheduler=config.scheduler)
        app = build_app(bot, configured_adapters(bot, config.slack, config.teams))
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        click.echo(
            f"Samverkansboten lyssnar på http://{host}:{port} (/healthz, /readyz, /metrics)."
        )
        click.echo('Prata med den i terminalen: samverkan chat --as "Veronica Gustafsson"')
        stop = asyncio.Event()
        sender = asyncio.create_task(Dispatcher(bot).run(stop))
        try:
            await asyncio.Event().wait()
        finally:
            stop.set()
            await sender
            await runner.cleanup()

    try:
        run_with_database(ctx, work)
    except KeyboardInterrupt:
        click.echo("Stopped.")
