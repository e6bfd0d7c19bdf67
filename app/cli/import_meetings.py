"""`samverkan import meetings FILE.csv [--dry-run]`: past meetings and attendance from minutes.

Messages come from the catalogs (`bot/locale/*/minutes.po`) in the language of
SAMVERKAN_LOCALE, Swedish by default; the format is in `docs/import-meetings.md`.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.common import run_with_database, settings_from, translator_for
from app.cli.file_import import import_in_transaction, read_bytes, report_invalid
from bot.common.clock import SystemClock
from bot.common.i18n import Translator
from bot.meetings.minutes_csv import InvalidMinutesFile, parse_minutes
from bot.meetings.minutes_import import MinutesReport, import_minutes
from storage.db import Database

MESSAGES = "minutes.import.error"  # the catalog prefix of this import's problem texts


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
    data = read_bytes(t, file)
    try:
        minutes = parse_minutes(data)
    except InvalidMinutesFile as invalid:
        report_invalid(t, file.name, invalid.errors, MESSAGES)

    async def work(database: Database) -> MinutesReport:
        async def rows(session: AsyncSession) -> MinutesReport:
            return await import_minutes(session, minutes, now=SystemClock().now(), tz=tz)

        return await import_in_transaction(database, rows, dry_run=dry_run)

    try:
        report = run_with_database(ctx, work)
    except InvalidMinutesFile as invalid:
        report_invalid(t, file.name, invalid.errors, MESSAGES)
    click.echo(summary(t, file.name, report, dry_run))
