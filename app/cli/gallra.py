"""`samverkan gallra --category C --before DAY --decision "KS 2027/12" [--dry-run]`.

Deletes one category of rows older than a day under a retention decision (gallringsbeslut)
and records the decision in the audit log; see bot/personal_data/retention.py and
docs/privacy.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import click

from app.cli.common import fail, run_with_database, settings_from, translator_for
from app.cli.privacy import operator
from bot.common.clock import SystemClock
from bot.personal_data.redact import MAX_DECISION
from bot.personal_data.retention import CATEGORIES, count, gallra
from storage.db import Database


@click.command(
    "gallra",
    epilog="\b\nCategories:\n" + "\n".join(f"  {n:<16} {c.help_en}" for n, c in CATEGORIES.items()),
)
@click.option(
    "--category",
    required=True,
    type=click.Choice(list(CATEGORIES)),
    help="What to delete (listed below).",
)
@click.option(
    "--before",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Delete what is older than this day (YYYY-MM-DD, local time), today at the latest.",
)
@click.option("--decision", required=True, help='The retention decision, e.g. "KS 2027/12".')
@click.option("--by", help="Who runs it (default: the operating-system user).")
@click.option("--dry-run", is_flag=True, help="Only count; delete and record nothing.")
@click.pass_context
def gallra_command(
    ctx: click.Context,
    category: str,
    before: datetime,
    decision: str,
    by: str | None,
    dry_run: bool,
) -> None:
    """Delete one category of stored rows older than a day, under a retention decision.

    Never touches joint-message decisions, draft versions, the audit log or attendance.
    """
    t = translator_for(ctx)
    tz = settings_from(ctx).tz
    decision = " ".join(decision.split())
    if not decision or len(decision) > MAX_DECISION:
        fail(t("gallra.bad_decision", limit=MAX_DECISION))
    now = SystemClock().now()
    if before.date() > now.astimezone(tz).date():
        fail(t("gallra.future", day=before.date().isoformat()))
    cutoff = datetime.combine(before.date(), time(0), tzinfo=tz).astimezone(UTC)
    actor = operator(by, "gallra")

    async def work(database: Database) -> int:
        if dry_run:
            async with database.sessions() as session:
                return await count(session, category, cutoff)
        async with database.transaction() as session:
            return await gallra(session, category, cutoff, decision, actor, now)

    number = run_with_database(ctx, work)
    key = "gallra.would_delete" if dry_run else "gallra.deleted"
    click.echo(t(key, count=number, category=category, day=before.date().isoformat()))
    if not dry_run:
        click.echo(t("gallra.recorded", decision=decision))
