"""How long the contacts import and the audit export take for a large file.

    .venv/bin/python bench/transfer.py [ROWS] [DATABASE_URL]

Defaults: 3000 rows on a fresh SQLite file in a temporary folder. Prints one line per step;
no assertion, since speed depends on the machine.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.agreement.audit_export import export_audit
from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.clock import SystemClock
from bot.common.config import BUNDLED_AGREEMENT
from bot.directory.contacts_csv import parse_contacts
from bot.directory.contacts_import import import_contacts
from storage.db import Database
from storage.migrate import upgrade

FORUMS = ["brå", "tillsyn", "spindelgrupp broby", "spindel knislinge", "Sibbhult", "avhopp"]


def contacts_csv(rows: int) -> bytes:
    lines = ["namn;titel;organisation;e-post;telefon;forum;roll"]
    for i in range(rows):
        org = "Kommunen" if i % 2 else "Polisen"
        role = ("", "ersättare", "representant")[i % 3]
        lines.append(
            f"Person {i};Handläggare;{org};p{i}@example.org;070-174 {i:05d};"
            f"{FORUMS[i % len(FORUMS)]};{role}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


async def main(rows: int, url: str) -> None:
    database = Database(url)
    await upgrade(database)
    async with database.transaction() as session:
        await seed(session, load_agreement_file(BUNDLED_AGREEMENT), now=SystemClock().now())
    data = contacts_csv(rows)
    for attempt in ("first import", "second import (no changes)"):
        started = time.perf_counter()
        contacts = parse_contacts(data)
        async with database.transaction() as session:
            report = await import_contacts(session, contacts, now=SystemClock().now())
        took = time.perf_counter() - started
        print(f"{attempt}: {rows} rows in {took:.2f} s ({report.created} created)")
    for fmt in ("csv", "json"):
        out = io.StringIO()
        started = time.perf_counter()
        async with database.sessions() as session:
            count = await export_audit(
                session,
                out,
                first=date(2000, 1, 1),
                last=date(2100, 1, 1),
                timezone=ZoneInfo("Europe/Stockholm"),
                fmt=fmt,  # type: ignore[arg-type]
            )
        took = time.perf_counter() - started
        print(f"export {fmt}: {count} events, {len(out.getvalue()) // 1024} KiB in {took:.2f} s")
    await database.dispose()


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    with tempfile.TemporaryDirectory() as folder:
        default = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        asyncio.run(main(count, sys.argv[2] if len(sys.argv) > 2 else default))
