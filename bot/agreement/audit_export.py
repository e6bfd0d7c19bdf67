"""Export the audit log for the registrar (*registrator*), as public records are archived.

`samverkan export audit --from 2026-11-01 --to 2026-11-30 --format csv|json [--output FILE]`

The dates are whole days in Europe/Stockholm (SAMVERKAN_TIMEZONE), both included: an event at
00:30 Swedish time on the first day is in, one at 00:00 on the day after the last is not.
Events come oldest first (by time, then id). The format is stable; fields are only ever added
at the end.

Fields, in this order, in both formats:

| field         | meaning                                                                     |
|---------------|-----------------------------------------------------------------------------|
| `id`          | the audit event's number, unique and increasing                             |
| `at`          | when, ISO 8601 in UTC with microseconds: `2026-11-26T09:00:00.000000Z`      |
| `actor`       | who: a person's name, or an operator such as `samverkan import`             |
| `platform`    | from where: `slack`, `teams`, `console`, `cli`, …                           |
| `action`      | what was done, e.g. `person.update`, `member.set`, `identity.link`          |
| `entity_type` | the kind of thing changed, e.g. `person`, `forum_member`                    |
| `entity_id`   | which one (text)                                                            |
| `before`      | the changed values before the change (absent for a creation)                |
| `after`       | the changed values after the change (absent for a removal)                  |

CSV: UTF-8 without BOM, comma-separated, a header row with the field names, RFC 4180 quoting
and CRLF line ends. `id` is a whole number; `before` and `after` are JSON text with sorted
keys and non-ASCII letters kept (`{"name":"Åsa Öberg"}`); an absent value is an empty cell.

JSON: UTF-8, one array of objects with the fields above as keys, one object per line;
`id` is a number, `before` and `after` are objects or `null`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
FIELDS = (
    "id",
    "at",
    "actor",
    "platform",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
)
BATCH = 500


def utc_bounds(first: date, last: date, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC moments [start, end) covering local days `first` to `last`, both included."""
    start = datetime.combine(first, time(0), tzinfo=timezone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=timezone)
    return start.astimezone(UTC), end.astimezone(UTC)


def format_at(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_record(event: AuditEvent) -> dict[str, Any]:
    """One event as the documented fields, in order."""
    return {
        "id": event.id,
        "at": format_at(event.at),
        "actor": event.actor,
        "platform": event.platform,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


async def count_events(session: AsyncSession, start: datetime, end: datetime) -> int:
    query = select(func.count(AuditEvent.id)).where(AuditEvent.at >= start, AuditEvent.at < end)
    return int(await session.scalar(query) or 0)


async def audit_events(
    session: AsyncSession, start: datetime, end: datetime
) -> AsyncIterator[AuditEvent]:
    """Events with `start <= at < end`, oldest first, fetched in batches rather than all at once."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.at >= start, AuditEvent.at < end)
        .order_by(AuditEvent.at, AuditEvent.id)
        .execution_options(yield_per=BATCH)
    )
    result = await session.stream_scalars(query)
    async for event in result:
        yield event


class _CsvWriter:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.writer.writerow(FIELDS)

    def write(self, item: dict[str, Any]) -> None:
        cells = dict(item)
        for name in ("before", "after"):
            cells[name] = "" if item[name] is None else _json_text(item[name])
        self.writer.writerow([cells[name] for name in FIELDS])

    def close(self) -> None:
        pass


class _JsonWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0
        out.write("[")

    def write(self, item: dict[str, Any]) -> None:
        members = ", ".join(
            f"{json.dumps(name)}: {json.dumps(item[name], ensure_ascii=False, sort_keys=True)}"
            for name in FIELDS
        )
        self.out.write(("," if self.count else "") + "\n{" + members + "}")
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]\n")


async def export_audit(
    session: AsyncSession,
    out: TextIO,
    *,
    first: date,
    last: date,
    timezone: ZoneInfo,
    fmt: Format,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the events of the days `first`..`last` to `out`; returns how many were written."""
    start, end = utc_bounds(first, last, timezone)
    writer: _CsvWriter | _JsonWriter = _CsvWriter(out) if fmt == "csv" else _JsonWriter(out)
    written = 0
    async for event in audit_events(session, start, end):
        writer.write(as_record(event))
        written += 1
        if progress is not None:
            progress(1)
    writer.close()
    return written
