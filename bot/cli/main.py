"""`samverkan`: every subcommand with a one-line description in `--help`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from bot.agreement_file import AgreementFileError, load_agreement_file
from bot.cli.calendar import export_attendance, export_ics
from bot.cli.chat import chat, say
from bot.cli.common import run_with_database, settings_from
from bot.cli.digest import digest
from bot.cli.export import export_drafts
from bot.cli.jobs import jobs, worker
from bot.cli.manifest import manifest
from bot.cli.rooms import link_channels_command
from bot.cli.serve import serve
from bot.cli.transfer import export_group, import_group
from bot.clock import SystemClock
from bot.config import Settings
from bot.seed import seed as apply_seed
from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Samverkansboten – the cooperation bot for Östra Göinge kommun and the Police."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.ensure_object(dict)
    ctx.obj.setdefault("settings", Settings())


@main.group()
def db() -> None:
    """Create or upgrade the database schema."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create the schema or upgrade it to the newest migration."""

    async def work(database: Database) -> str | None:
        await upgrade(database)
        return await current_revision(database)

    revision = run_with_database(ctx, work, needs_schema=False)
    click.echo(f"Database schema is at revision {revision}.")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the schema revision of the database and the newest one known."""
    revision = run_with_database(ctx, current_revision, needs_schema=False)
    click.echo(f"database: {revision or 'empty'}; newest: {head_revision()}")


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--no-demo", is_flag=True, help="Leave out the fictional demo staff.")
@click.option("--prune", is_flag=True, help="Remove rows the file no longer names.")
@click.pass_context
def seed(ctx: click.Context, file: Path | None, no_demo: bool, prune: bool) -> None:
    """Load the agreement file (default: SAMVERKAN_AGREEMENT) into the database."""
    path = file or settings_from(ctx).agreement
    try:
        spec = load_agreement_file(path)
    except AgreementFileError as error:
        for problem in error.problems:
            click.echo(f"{path}: {problem}", err=True)
        raise SystemExit(1) from None
    steps = 3 + len([p for p in spec.people if not (no_demo and p.demo)])

    async def work(database: Database) -> str:
        with click.progressbar(length=steps, label="Seeding", file=sys.stderr) as bar:
            async with database.transaction() as session:
                report = await apply_seed(
                    session,
                    spec,
                    now=SystemClock().now(),
                    include_demo=not no_demo,
                    prune=prune,
                    progress=lambda _label: bar.update(1),
                )
        for line in report.not_in_file:
            click.echo(f"not in the file (kept; use --prune to remove): {line}")
        for line in report.removed:
            click.echo(f"removed: {line}")
        return report.summary()

    click.echo(f"Seeded {path.name}: {run_with_database(ctx, work)}.")


main.add_command(chat)
main.add_command(say)
main.add_command(serve)
main.add_command(manifest)
main.add_command(import_group)
main.add_command(export_group)
main.add_command(link_channels_command)
export_group.add_command(export_drafts)
export_group.add_command(export_ics)
export_group.add_command(export_attendance)
main.add_command(worker)
main.add_command(jobs)
main.add_command(digest)
