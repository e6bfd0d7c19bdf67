"""`samverkan privacy scan` and `samverkan privacy redact REF --decision "…"`.

For the data-protection officer: list stored texts that look like they hold a personnummer
(numbers masked), and remove one under a recorded decision (see bot/personal_data/redact.py).
"""

from __future__ import annotations

import getpass
import json

import click

from app.cli.common import fail, run_with_database, settings_from, translator_for
from bot.common.clock import SystemClock
from bot.personal_data.redact import RedactError, Redaction, redact
from bot.personal_data.scan import Hit, scan
from storage.audit import Actor
from storage.db import Database


def operator(by: str | None, command: str) -> Actor:
    """Who runs a command-line change: `--by`, else the operating-system user."""
    try:
        name = by or getpass.getuser()
    except Exception:
        name = "okänd"
    return Actor(label=f"{name} (samverkan {command})"[:200], platform="cli")


@click.group("privacy")
def privacy_group() -> None:
    """Find and redact personnummer in stored texts (data-protection officer)."""


@privacy_group.command("scan")
@click.option(
    "--format", "form", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def privacy_scan(ctx: click.Context, form: str) -> None:
    """List stored texts, live tables and the audit log, that look like a personnummer."""
    t = translator_for(ctx)
    tz = settings_from(ctx).tz

    async def work(database: Database) -> list[Hit]:
        async with database.sessions() as session:
            return await scan(session)

    hits = run_with_database(ctx, work)
    if form == "json":
        click.echo(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(t("privacy_scan.none"))
        return
    for hit in hits:
        when = hit.at.astimezone(tz).strftime("%Y-%m-%d") if hit.at else "–"
        click.echo(f"{hit.ref}\t{hit.forum or '–'}\t{when}\t{hit.excerpt}")
    click.echo(t("privacy_scan.count", count=len(hits)))


@privacy_group.command("redact")
@click.argument("ref")
@click.option("--decision", required=True, help='The decision\'s reference, e.g. "DSO 2026/4".')
@click.option("--by", help="Who decides (default: the operating-system user).")
@click.pass_context
def privacy_redact(ctx: click.Context, ref: str, decision: str, by: str | None) -> None:
    """Replace the number(s) in one stored text (REF from `privacy scan`), and in the audit log."""
    t = translator_for(ctx)
    actor = operator(by, "privacy redact")

    async def work(database: Database) -> Redaction | RedactError:
        try:
            async with database.transaction() as session:
                return await redact(session, ref, decision, actor, SystemClock().now())
        except RedactError as error:
            return error

    done = run_with_database(ctx, work)
    if isinstance(done, RedactError):
        fail(t(done.key, **done.values))
    for changed in done.refs:
        click.echo(t("privacy_scan.redacted", ref=changed))
