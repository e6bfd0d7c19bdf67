"""`samverkan report --period P --format pdf|html|md|csv [--output FILE]`: the follow-up report
for the registrar and for attaching to a decision.

Need-to-know forums are left out unless `--all-forums` is given (the report then goes to their
members only); the report says how many were left out.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from app.cli.common import run_with_database, settings_from, translator_for
from bot.common.clock import SystemClock
from bot.report import output as formats
from bot.report.figures import Report
from bot.report.render_pdf import PdfUnavailable
from bot.report.service import BadPeriod, build_report, resolve_period
from storage.db import Database


@click.command("report")
@click.option(
    "--period", default="", help="2026, 2026-T2, 2026-H1, 2023..2026 or överenskommelsen."
)
@click.option("--format", "form", type=click.Choice(formats.FORMATS), default="pdf")
@click.option(
    "--output", "-o", "target", type=click.Path(path_type=Path), help="File (default: stdout)."
)
@click.option("--chart", type=click.Path(path_type=Path), help="Also write the chart as PNG.")
@click.option(
    "--all-forums", is_flag=True, help="Include need-to-know forums (for their members only)."
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="The report as it stood then (default: now).",
)
@click.pass_context
def report(
    ctx: click.Context,
    period: str,
    form: str,
    target: Path | None,
    chart: Path | None,
    all_forums: bool,
    as_of: datetime | None,
) -> None:
    """Write the follow-up report: representation, joint messages, action items, citizen
    promises, the yearly cycle and the decisions."""
    settings = settings_from(ctx)
    t = translator_for(ctx)
    tz = settings.tz
    now = as_of.replace(tzinfo=tz).astimezone(UTC) if as_of else SystemClock().now()

    async def work(database: Database) -> Report:
        async with database.sessions() as session:
            span = await resolve_period(session, period, now, tz)
            visible = (lambda _forum: True) if all_forums else None
            return await build_report(session, span, tz, now, visible=visible)

    try:
        figures = run_with_database(ctx, work)
    except BadPeriod:
        raise click.ClickException(t("report.error.bad_period")) from None
    try:
        rendered = formats.render(figures, t, form, chart_file=chart.name if chart else None)
    except PdfUnavailable as error:
        raise click.ClickException(f"PDF needs WeasyPrint and Pango: {error}") from None
    if chart is not None:
        from bot.report.document import build

        chart.write_bytes(formats.chart_png(t, build(figures, t)))
    if target is None:
        sys.stdout.buffer.write(rendered.data)
        sys.stdout.flush()
    else:
        target.write_bytes(rendered.data)
        click.echo(f"wrote {target}", err=True)
