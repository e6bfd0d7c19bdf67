"""`samverkan serve`: one aiohttp server for health, metrics, Slack and Teams."""

from __future__ import annotations

import asyncio
import logging

import click
from aiohttp import web

from app.cli.common import fail, run_with_database, settings_from, translator_for
from app.cli.listening import CannotListen, check_can_listen, listen
from app.server import build_app
from app.setup import configured_adapters
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from storage.db import Database

log = logging.getLogger("samverkan.serve")


@click.command()
@click.option(
    "--host",
    envvar="SAMVERKAN_HOST",
    show_envvar=True,
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface, as in a container).",
)
@click.option(
    "--port",
    envvar="SAMVERKAN_PORT",
    show_envvar=True,
    default=3978,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Run the bot's web server (Slack and Teams endpoints, /healthz, /readyz, /metrics)."""
    settings = settings_from(ctx)
    logging.getLogger("samverkan").setLevel(logging.INFO)

    async def work(database: Database) -> None:
        bot = Bot(database, settings)
        app = build_app(bot, configured_adapters(bot))
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            bound = await listen(runner, host, port, translator_for(ctx))
        except CannotListen:
            await runner.cleanup()
            raise
        click.echo(
            f"Samverkansboten lyssnar på http://{host}:{bound} (/healthz, /readyz, /metrics)."
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
        check_can_listen(host, port, translator_for(ctx))  # before the database or any adapter
        run_with_database(ctx, work)
    except CannotListen as error:
        fail(str(error), code=2)
    except KeyboardInterrupt:
        click.echo("Stopped.")
