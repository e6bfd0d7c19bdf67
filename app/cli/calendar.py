"""`samverkan export ics --forum bra` and `samverkan export attendance`: files for others.

Both read only the database, so the same command gives the same file again (reproducible for
the yearly follow-up and the registrar).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.common import run_with_database, settings_from, translator_for
from app.cli.pipes import reader_went_away
from bot.channels.audience import EVERYONE, Audience, load_tree
from bot.common.i18n import Translator
from bot.meetings.ics import NoCalendar, forum_calendar
from storage.db import Database
from storage.models import Attendance, Forum, Meeting, Organization, Person

ATTENDANCE_COLUMNS = [
    "meeting",
    "forum",
    "starts_at_utc",
    "status",
    "person",
    "organisation",
    "role",
    "registered_at_utc",
    "organisation_key",
    "role_code",
]


@click.command("ics")
@click.option("--forum", "forum_key", required=True, help="Forum or group key, e.g. bra.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.pass_context
def export_ics(ctx: click.Context, forum_key: str, output: Path | None) -> None:
    """Write a forum's meetings as an RFC 5545 calendar file."""
    language = "en" if settings_from(ctx).locale.startswith("en") else "sv"

    async def work(database: Database) -> bytes:
        async with database.sessions() as session:
            _forum, body = await forum_calendar(session, forum_key, language)
            return body

    try:
        body = run_with_database(ctx, work)
    except NoCalendar:
        raise click.ClickException(
            f"no calendar for '{forum_key}': unknown forum, or a need-to-know or no-free-text forum"
        ) from None
    _write(output, body)


@click.command("attendance")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Inclusive.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Also need-to-know and no-free-text forums' meetings (a file for their members only).",
)
@click.pass_context
def export_attendance(
    ctx: click.Context,
    start: datetime,
    end: datetime,
    fmt: str,
    output: Path | None,
    include_restricted: bool,
) -> None:
    """One row per meeting and attendee, for the yearly follow-up.

    A file meant for all: restricted forums' meetings are left out unless asked for.
    """
    tz = settings_from(ctx).tz
    t = translator_for(ctx)

    async def work(database: Database) -> list[dict[str, str]]:
        async with database.sessions() as session:
            return await attendance_rows(
                session,
                datetime.combine(start.date(), datetime.min.time(), tz),
                datetime.combine(end.date() + timedelta(days=1), datetime.min.time(), tz),
                Audience(admin=True) if include_restricted else EVERYONE,
                t=t,
            )

    rows = run_with_database(ctx, work)
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2).encode() + b"\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=ATTENDANCE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        body = buffer.getvalue().encode()
    _write(output, body)


async def attendance_rows(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    audience: Audience = EVERYONE,
    *,
    t: Translator | None = None,
    now: datetime | None = None,
) -> list[dict[str, str]]:
    """Rows in a stable order (time, meeting, person), from three queries whatever the size;
    only the meetings the audience may see (`EVERYONE`: no restricted forum's).

    `status` is `held` (begun before `now`), `cancelled` or `scheduled`; the organisation and
    the role are words a registrar reads (`Östra Göinge kommun`, `ordförande`), in the
    operator's language, with the codes beside them for scripts."""
    t = t or Translator("sv", ZoneInfo("Europe/Stockholm"))
    now = now or datetime.now(UTC)
    tree = await load_tree(session)
    query = (
        select(
            Meeting.forum_id,
            Meeting.id,
            Forum.key,
            Meeting.starts_at,
            Meeting.status,
            Person.name,
            Organization.key,
            Organization.name,
            Attendance.role,
            Attendance.registered_at,
        )
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .join(Person, Person.id == Attendance.person_id)
        .join(Organization, Organization.id == Attendance.organization_id)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at, Meeting.id, Person.name, Person.id)
    )
    rows = []
    for forum_id, number, forum, starts_at, status, person, org, org_name, role, at in (
        await session.execute(query)
    ).all():
        if not tree.shows(forum_id, audience):
            continue
        rows.append(
            {
                "meeting": f"M{number}",
                "forum": forum,
                "starts_at_utc": _utc(starts_at),
                "status": _status(status, starts_at, now),
                "person": person,
                "organisation": org_name,
                "role": t(f"role.forum.{role}") if role else t("people.export.no_seat"),
                "registered_at_utc": _utc(at),
                "organisation_key": org,
                "role_code": role or "",
            }
        )
    return rows


def _status(status: str, starts_at: datetime, now: datetime) -> str:
    if status == "cancelled":
        return "cancelled"
    begun = starts_at if starts_at.tzinfo is not None else starts_at.replace(tzinfo=UTC)
    return "held" if begun <= now else "scheduled"


def _utc(moment: datetime) -> str:
    """Column queries skip the model's type on some drivers: make the zone explicit."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _write(output: Path | None, body: bytes) -> None:
    if output is None:
        try:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
        except BrokenPipeError:
            reader_went_away()
    else:
        output.write_bytes(body)
        click.echo(f"wrote {output}", err=True)
