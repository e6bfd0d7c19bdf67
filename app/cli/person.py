"""`samverkan person export NAME` and `samverkan person remove NAME`: staff data rights.

`export` prints everything the bot holds about a staff member (GDPR art. 15), in Swedish text
by default or as JSON; `remove` erases their personal data and keeps the decision trail with
the name only (see bot/personal_data/erasure.py and docs/privacy.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from app.cli.common import fail, run_with_database, translator_for
from app.cli.privacy import operator
from bot.common.clock import SystemClock
from bot.core.context import CommandError
from bot.personal_data.erasure import Erased, erase
from bot.personal_data.register import extract, find_staff_member, render
from storage.db import Database


@click.group("person")
def person_group() -> None:
    """A staff member's register extract, or the erasure of their personal data."""


@person_group.command("export")
@click.argument("name")
@click.option(
    "--format", "form", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.pass_context
def person_export(ctx: click.Context, name: str, form: str, output: Path | None) -> None:
    """Everything the bot holds about one staff member (GDPR art. 15)."""
    t = translator_for(ctx)

    async def work(database: Database) -> dict[str, list[dict[str, Any]]] | CommandError:
        async with database.sessions() as session:
            try:
                person = await find_staff_member(session, name)
            except CommandError as error:
                return error
            return await extract(session, person)

    found = run_with_database(ctx, work)
    if isinstance(found, CommandError):
        fail(t(found.key, **found.values))
    if form == "json":
        written = json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        written = render(t, found) + "\n"
    if output is None:
        click.echo(written, nl=False)
    else:
        output.write_text(written, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@person_group.command("remove")
@click.argument("name")
@click.option(
    "--decision",
    default="begäran om radering",
    show_default=True,
    help="The request's or decision's reference.",
)
@click.option("--by", help="Who decides (default: the operating-system user).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def person_remove(ctx: click.Context, name: str, decision: str, by: str | None, yes: bool) -> None:
    """Erase a staff member's personal data; keep who approved what, with the name only."""
    t = translator_for(ctx)
    if not yes:
        click.confirm(t("erasure.confirm", name=name), abort=True)
    actor = operator(by, "person remove")

    async def work(database: Database) -> tuple[str, Erased] | CommandError:
        try:
            async with database.transaction() as session:
                person = await find_staff_member(session, name)
                done = await erase(session, person, actor, SystemClock().now(), decision)
                return person.name, done
        except CommandError as error:
            return error

    result = run_with_database(ctx, work)
    if isinstance(result, CommandError):
        fail(t(result.key, **result.values))
    erased_name, done = result
    click.echo(
        t(
            "erasure.done",
            name=erased_name,
            identities=done.identities,
            memberships=done.memberships,
            rsvps=done.rsvps,
            messages=done.messages,
            audit=done.audit_fields,
        )
    )
    click.echo(t("erasure.kept"))
