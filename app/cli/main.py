"""`samverkan`: every subcommand with a one-line description in `--help`."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from app.cli.common import run_with_database, settings_from
from app.logs import configure
from storage.db import Database

# How each subcommand defined elsewhere is loaded: its module is imported only when the
# subcommand runs or `--help` lists it. Importing them all up front made `samverkan serve`
# load alembic, jsonschema, email-validator, the seeding and calendar code and more: some
# 500 modules and 40 MiB it never uses.
Loader = Callable[[], click.Command]


def _from(module: str, name: str) -> Loader:
    """A loader for the click command `name` in `module`."""

    def load() -> click.Command:
        command = getattr(importlib.import_module(module), name)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{name} is not a click command")
        return command

    return load


def _export() -> click.Command:
    """`export`: the audit log plus the subcommands of drafts and the calendar."""
    from app.cli.calendar import export_attendance, export_ics
    from app.cli.export import export_drafts
    from app.cli.transfer import export_group

    for command in (export_drafts, export_ics, export_attendance):
        export_group.add_command(command)
    return export_group


def _import() -> click.Command:
    """`import`: contacts, and past meetings from minutes."""
    from app.cli.import_meetings import import_meetings_command
    from app.cli.transfer import import_group

    import_group.add_command(import_meetings_command)
    return import_group


LAZY_COMMANDS: Mapping[str, Loader] = {
    "chat": _from("app.cli.chat", "chat"),
    "say": _from("app.cli.chat", "say"),
    "serve": _from("app.cli.serve", "serve"),
    "manifest": _from("app.cli.manifest", "manifest"),
    "import": _import,
    "export": _export,
    "link-channels": _from("app.cli.rooms", "link_channels_command"),
    "worker": _from("app.cli.jobs", "worker"),
    "jobs": _from("app.cli.jobs", "jobs"),
    "digest": _from("app.cli.digest", "digest"),
    "backup": _from("app.cli.backup", "backup"),
    "check": _from("app.cli.check", "check"),
    "privacy": _from("app.cli.privacy", "privacy_group"),
    "person": _from("app.cli.person", "person_group"),
    "gallra": _from("app.cli.gallra", "gallra_command"),
    "report": _from("app.cli.report", "report"),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when that subcommand is needed."""

    def __init__(self, *args: Any, lazy: Mapping[str, Loader], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        load = self._lazy.get(cmd_name)
        if load is not None:
            self.add_command(load(), cmd_name)
            del self._lazy[cmd_name]
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Samverkansboten – the cooperation bot for Östra Göinge kommun and the Police."""
    configure(verbose=verbose)  # until the settings are read: text, warnings
    ctx.ensure_object(dict)  # settings are read and checked when a subcommand asks for them
    ctx.obj["verbose"] = verbose


@main.group()
def db() -> None:
    """Create or upgrade the database schema."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create the schema or upgrade it to the newest migration."""
    from storage.migrate import current_revision, upgrade  # alembic: only for this command

    async def work(database: Database) -> str | None:
        await upgrade(database)
        return await current_revision(database)

    revision = run_with_database(ctx, work, needs_schema=False)
    click.echo(f"Database schema is at revision {revision}.")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the schema revision of the database and the newest one known."""
    from storage.migrate import current_revision, head_revision  # alembic: only for this command

    revision = run_with_database(ctx, current_revision, needs_schema=False)
    click.echo(f"database: {revision or 'empty'}; newest: {head_revision()}")


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--no-demo", is_flag=True, help="Leave out the fictional demo staff.")
@click.option("--prune", is_flag=True, help="Remove rows the file no longer names.")
@click.pass_context
def seed(ctx: click.Context, file: Path | None, no_demo: bool, prune: bool) -> None:
    """Load the agreement file (default: SAMVERKAN_AGREEMENT) into the database."""
    # Imported here so that other subcommands (serve above all) do not load the seeding code.
    from bot.agreement.file import AgreementFileError, load_agreement_file
    from bot.agreement.seed import seed as apply_seed
    from bot.common.clock import SystemClock

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


if __name__ == "__main__":  # `python -m app.cli.main`, as the tests run it in a subprocess
    main()
