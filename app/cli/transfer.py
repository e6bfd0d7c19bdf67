"""`samverkan import contacts FILE.csv` and `samverkan export audit`: files in and out.

Progress goes to stderr, so an export to stdout stays clean; messages come from the catalogs
(`bot/locale/*/transfer.po`) in the language of SAMVERKAN_LOCALE, Swedish by default.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import click
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.common import fail, run_with_database, settings_from, translator_for
from app.cli.file_import import import_in_transaction, read_bytes, report_invalid
from app.cli.pipes import reader_went_away
from bot.agreement.audit_export import FORMATS, Format, count_events, export_audit, utc_bounds
from bot.common.clock import SystemClock
from bot.common.i18n import Translator
from bot.directory.contacts_csv import InvalidContactsFile, parse_contacts
from bot.directory.contacts_import import ImportReport, import_contacts
from storage.db import Database

_DATE = click.DateTime(formats=["%Y-%m-%d"])


# --- import -----------------------------------------------------------------------------------


@click.group("import")
def import_group() -> None:
    """Import contacts or past meetings from a CSV file."""


MESSAGES = "transfer.import.error"  # the catalog prefix of this import's problem texts


def _summary(t: Translator, file: str, report: ImportReport, dry_run: bool) -> str:
    return t(
        "transfer.import.checked" if dry_run else "transfer.import.summary",
        file=file,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        added=report.memberships_added,
        changed=report.memberships_changed,
    )


@import_group.command("contacts")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@click.pass_context
def import_contacts_command(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Add or update people and forum memberships from a CSV file (docs/import-contacts.md).

    Header: namn,titel,organisation,e-post,telefon,forum,roll (comma or semicolon; UTF-8 or
    Windows-1252). When any row is wrong, every problem is listed and nothing is saved.
    """
    t = translator_for(ctx)
    data = read_bytes(t, file)
    try:
        contacts = parse_contacts(data)
    except InvalidContactsFile as invalid:
        report_invalid(t, file.name, invalid.errors, MESSAGES)

    async def work(database: Database) -> ImportReport:
        label = t("transfer.import.progress")
        with click.progressbar(length=len(contacts.rows), label=label, file=sys.stderr) as bar:

            async def rows(session: AsyncSession) -> ImportReport:
                now = SystemClock().now()
                return await import_contacts(session, contacts, now=now, progress=bar.update)

            return await import_in_transaction(database, rows, dry_run=dry_run)

    try:
        report = run_with_database(ctx, work)
    except InvalidContactsFile as invalid:
        report_invalid(t, file.name, invalid.errors, MESSAGES)
    click.echo(_summary(t, file.name, report, dry_run))


# --- export -----------------------------------------------------------------------------------


@click.group("export")
def export_group() -> None:
    """Export records for the registrar: audit log, drafts, attendance, calendars."""


@contextmanager
def _utf8_output(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to a file (written whole or not at all) or to stdout, line ends untouched."""
    if path is None:
        sys.stdout.flush()
        text = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.flush()
            text.detach()
        return
    with click.open_file(str(path), "wb", atomic=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.flush()
            text.detach()


@export_group.command("audit")
@click.option("--from", "first", required=True, type=_DATE, metavar="YYYY-MM-DD", help="First day.")
@click.option(
    "--to", "last", type=_DATE, metavar="YYYY-MM-DD", help="Last day, included (default today)."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True, help="Format."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default stdout).",
)
@click.pass_context
def export_audit_command(
    ctx: click.Context, first: datetime, last: datetime | None, fmt: Format, output: Path | None
) -> None:
    """Export the audit log of the given days (Swedish time) as CSV or JSON for the registrar.

    The fields and their format are documented in bot/audit_export.py and stay stable.
    """
    settings = settings_from(ctx)
    t = translator_for(ctx)
    first_day = first.date()
    last_day = last.date() if last else SystemClock().now().astimezone(settings.tz).date()
    if first_day > last_day:
        fail(t("transfer.export.bad_range", first=first_day, last=last_day))

    async def work(database: Database) -> int:
        async with database.sessions() as session:
            total = await count_events(session, *utc_bounds(first_day, last_day, settings.tz))
            label = t("transfer.export.progress")
            with (
                click.progressbar(length=total, label=label, file=sys.stderr) as bar,
                _utf8_output(output) as out,
            ):
                return await export_audit(
                    session,
                    out,
                    first=first_day,
                    last=last_day,
                    timezone=settings.tz,
                    fmt=fmt,
                    progress=bar.update,
                )

    try:
        count = run_with_database(ctx, work)
    except BrokenPipeError:
        if output is not None:
            raise
        reader_went_away()
    except OSError as error:
        fail(t("transfer.export.cannot_write", file=output, reason=error.strerror or error))
    summary = _export_summary(t, count, first_day, last_day, fmt, output)
    click.echo(summary, err=output is None)


def _export_summary(
    t: Translator, count: int, first: date, last: date, fmt: str, output: Path | None
) -> str:
    target = str(output) if output is not None else t("transfer.export.stdout")
    return t(
        "transfer.export.summary",
        count=count,
        first=first.isoformat(),
        last=last.isoformat(),
        format=fmt.upper(),
        target=target,
    )
