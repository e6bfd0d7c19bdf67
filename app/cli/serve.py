"""`samverkan serve`: one aiohttp server for health, metrics, Slack and Teams.

On SIGTERM or SIGINT it stops gracefully: no new connections, the requests in flight and the
work they started finish within SAMVERKAN_SHUTDOWN_GRACE_SECONDS, the dispatcher finishes the
send it is in and hands back the rest of its batch, and the database pool is closed; exit 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import click

from app.cli.common import CONFIG_ERROR, checked, fail, run_with_database, translator_for
from app.cli.hint import samverkan_command
from app.cli.listening import CannotListen, check_can_listen, listen
from app.config_check import describe
from bot.common.config import SettingProblem

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
    config = checked(ctx)  # before anything listens: a bad setting ends here, in one line
    assert config.settings is not None
    settings = config.settings
    teams = config.teams
    if teams is not None and teams.local_mode and teams.local_mode_requested:
        from adapters.teams.settings import is_loopback

        if not is_loopback(host):
            t = config.translator()
            problem = SettingProblem(
                "TEAMS_LOCAL_MODE", "config.local_mode_host", "", {"host": host}
            )
            fail(describe(problem, t), CONFIG_ERROR)
    # Imported after the check: a refused configuration need not load the whole bot.
    from aiohttp import web

    from adapters.web import SHUTDOWN_KEY
    from app.server import build_app, build_metrics_app
    from app.setup import configured_adapters
    from bot.core.engine import Bot
    from bot.scheduler.dispatcher import Dispatcher
    from storage.db import Database

    async def work(database: Database) -> None:
        bot = Bot(database, settings, scheduler=config.scheduler)
        app = build_app(bot, configured_adapters(bot, config.slack, config.teams))
        shutdown = app[SHUTDOWN_KEY]
        shutdown.grace = settings.shutdown_grace_seconds
        # Requests are logged by app.logs (one access line each, with the request id).
        runner = web.AppRunner(app, shutdown_timeout=shutdown.grace, access_log=None)
        await runner.setup()
        try:
            bound = await listen(runner, host, port, translator_for(ctx))
        except CannotListen:
            await runner.cleanup()
            raise
        metrics_runner = None
        if settings.metrics_port is not None:
            metrics_runner = web.AppRunner(build_metrics_app(bot), access_log=None)
            await metrics_runner.setup()
            await web.TCPSite(metrics_runner, host, settings.metrics_port).start()
            click.echo(f"Mätvärden på http://{host}:{settings.metrics_port}/metrics.")
        # Stop signals are taken before "listening" is said: a service manager (or a test) may
        # stop the service the moment it reads that line.
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        t = translator_for(ctx)
        click.echo(t("people.serve.listening", host=host, port=bound))
        chat = f'{samverkan_command()} chat --as "Veronica Gustafsson"'
        click.echo(t("people.serve.hint", command=chat))
        dispatcher_stop = asyncio.Event()
        sender = asyncio.create_task(Dispatcher(bot).run(dispatcher_stop))

        async def finish_sending() -> None:
            await sender

        shutdown.drains.append(finish_sending)
        try:
            await stopping.wait()
        finally:
            shutdown.begin()
            dispatcher_stop.set()
            click.echo(
                f"Samverkansboten stannar: tar inte emot nya anrop och gör klart det som pågår "
                f"(högst {shutdown.grace:g} s)."
            )
            # Stops listening, waits for requests in flight, then the drains, then closes.
            await runner.cleanup()
            if metrics_runner is not None:
                await metrics_runner.cleanup()

    try:
        check_can_listen(host, port, translator_for(ctx))  # before the database or any adapter
        run_with_database(ctx, work)
    except CannotListen as error:
        fail(str(error), code=2)
    click.echo("Stopped.")
