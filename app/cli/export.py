"""`samverkan export drafts --from … --to … --format csv|json`: public records for the registrar.

A subcommand of the `export` group (which also exports the audit log).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click

from app.cli.common import run_with_database, settings_from
from bot.drafts.export import history, to_csv, to_json
from storage.db import Database

_DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command("drafts")
@click.option("--from", "start", type=_DAY, required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=_DAY, required=True, help="Last day, included (YYYY-MM-DD).")
@click.option(
    "--format", "form", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.pass_context
def export_drafts(
    ctx: click.Context, start: datetime, end: datetime, form: str, output: Path | None
) -> None:
    """Every version and decision of the drafts active between the two days (local time)."""
    if end < start:
        raise click.BadParameter("--to is before --from")
    tz = settings_from(ctx).tz

    def moment(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

    async def work(database: Database) -> str:
        async with database.sessions() as session:
            rows = await history(
                session, moment(start.date()), moment(end.date() + timedelta(days=1))
            )
        return to_json(rows) if form == "json" else to_csv(rows)

    written = run_with_database(ctx, work)
    if output is None:
        click.echo(written, nl=False)
    else:
        output.write_text(written, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
