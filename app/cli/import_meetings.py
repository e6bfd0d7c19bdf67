"""`samverkan import meetings FILE.csv [--dry-run]`: past meetings and attendance from minutes.

Messages come from the catalogs (`bot/locale/*/minutes.po`) in the language of
SAMVERKAN_LOCALE, Swedish by default; the format is in `docs/import-meetings.md`.
"""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import fail, run_with_database, settings_from, translator_for
from bot.common.clock import SystemClock
from bot.common.i18n import Translator
from bot.meetings.minutes_csv import InvalidMinutesFile, MinutesError, parse_minutes
from bot.meetings.minutes_import import MinutesReport, import_minutes
from storage.db import Database


class _RollBack(Exception):
    """Leaves the transaction without saving, for `--dry-run`."""

    def __init__(self, report: MinutesReport) -> None:
        super().__init__("dry run")
        self.report = report


def describe(t: Translator, file: str, error: MinutesError) -> str:
    """One line of the error report: file, row, column and what is wrong."""
    problem = t(f"minutes.import.error.{error.code}", **error.values)
    if error.row is None:
        return t("transfer.import.where_file", file=file, problem=problem)
    if not error.column:
        return t("transfer.import.where_row", file=file, row=error.row, problem=problem)
    return t(
        "transfer.import.where_cell", file=file, row=error.row, column=error.column, problem=problem
    )


def _report_invalid(t: Translator, file: str, errors: list[MinutesError]) -> None:
    for error in errors:
        click.echo(describe(t, file, error), err=True)
    fail(t("transfer.import.nothing_saved", count=len(errors), file=file))


def summary(t: Translator, file: str, report: MinutesReport, dry_run: bool) -> str:
    return t(
        "minutes.import.checked" if dry_run else "minutes.import.summary",
        file=file,
        rows=report.rows,
        created=report.meetings_created,
        found=report.meetings_found,
        places=report.places_set,
        added=report.attendance_added,
        present=report.attendance_found,
        people=report.people_created,
    )


@click.command("meetings")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@click.pass_context
def import_meetings_command(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Add past meetings and who attended them from minutes (docs/import-meetings.md).

    Header: forum;datum;tid;plats;namn;organisation;roll, one row per person present. When any
    row is wrong, every problem is listed and nothing is saved; a second import of the same
    file changes nothing.
    """
    t = translator_for(ctx)
    tz = settings_from(ctx).tz
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(t("transfer.import.cannot_read", file=file, reason=error.strerror or error))
    try:
        minutes = parse_minutes(data)
    except InvalidMinutesFile as invalid:
        _report_invalid(t, file.name, invalid.errors)

    async def work(database: Database) -> MinutesReport:
        try:
            async with database.transaction() as session:
                report = await import_minutes(session, minutes, now=SystemClock().now(), tz=tz)
                if dry_run:
                    raise _RollBack(report)
        except _RollBack as checked:
            return checked.report
        return report

    try:
        report = run_with_database(ctx, work)
    except InvalidMinutesFile as invalid:
        _report_invalid(t, file.name, invalid.errors)
    click.echo(summary(t, file.name, report, dry_run))
