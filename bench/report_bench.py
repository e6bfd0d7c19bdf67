"""Time the whole-agreement follow-up report over the five-year data set: the figures, the
chart, the PDF/A, and the chat answer with its chart (`uppföljning överenskommelsen`).

Prints figures and the query count; asserts nothing (speed is not a test). Targets (issue 17):
the whole report with charts and PDF under 1.5 s, the chat answer with its chart under 1 s.

    .venv/bin/python -m bench.report_bench [--postgres URL] [--pdf FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import event

from bench.dataset import build_dataset
from bench.representation_bench import NOW
from bot.common.i18n import Translator
from bot.directory.forums import load_forum_index
from bot.report import output
from bot.report.document import build
from bot.report.period import parse_report_period
from bot.report.service import build_report
from storage.db import Database
from storage.migrate import upgrade

ROUNDS = 5
TZ = ZoneInfo("Europe/Stockholm")


async def _median_ms(work: Callable[[], Awaitable[Any]]) -> float:
    await work()  # warm up: imports (matplotlib, WeasyPrint), caches, connections
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def run(database: Database, label: str, pdf_file: Path | None) -> None:
    await upgrade(database)
    async with database.transaction() as session:
        data = await build_dataset(session, end=NOW)
    print(f"[{label}] data set: {data.meetings} meetings, {data.attendance} attendance rows")
    span = parse_report_period("2022..2026", None)
    assert span is not None
    t = Translator("sv", TZ)

    async def figures() -> Any:
        async with database.sessions() as session:
            return await build_report(session, span, TZ, NOW, visible=lambda _f: True)

    async def whole_pdf() -> bytes:
        return output.render(await figures(), t, "pdf").data

    async def chat_answer() -> bytes:
        return output.chart_png(t, build(await figures(), t))

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async with database.sessions() as session:
        index = await load_forum_index(session)
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            await build_report(session, span, TZ, NOW, index=index)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    print(f"[{label}] queries for the whole report: {len(statements)}")
    print(f"[{label}] figures only, five years: {await _median_ms(figures):.0f} ms")
    print(f"[{label}] chat answer (figures + chart PNG): {await _median_ms(chat_answer):.0f} ms")
    print(f"[{label}] whole report with chart and PDF/A: {await _median_ms(whole_pdf):.0f} ms")
    if pdf_file is not None:
        data = await whole_pdf()
        await asyncio.to_thread(pdf_file.write_bytes, data)
        print(f"[{label}] wrote {pdf_file}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--pdf", type=Path, help="Also write the five-year PDF here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await run(database, "sqlite", args.pdf)
        await database.dispose()
    name = f"samverkan_bench_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(args.postgres, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        print(f"[postgresql] skipped: {error}")
        return
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = args.postgres.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        database = Database(f"{base}/{name}")
        await run(database, "postgresql", None)
        await database.dispose()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
