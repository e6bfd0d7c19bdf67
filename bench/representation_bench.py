"""Time `representation` (one year, all years) and the attendance CSV export.

Prints figures; asserts nothing (speed is not a test). Target: the yearly answer < 50 ms.

    .venv/bin/python -m bench.representation_bench [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.cli.calendar import ATTENDANCE_COLUMNS, attendance_rows
from bench.databases import DEFAULT_POSTGRES, both_databases
from bench.dataset import build_dataset
from bot.common.periods import Period, parse_period
from bot.directory.forums import load_forum_index
from bot.meetings.representation import representation
from storage.db import Database
from storage.migrate import upgrade

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ROUNDS = 7


async def _median_ms(work: Callable[[], Awaitable[Any]]) -> float:
    await work()  # warm up caches and connections
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def run(database: Database, label: str) -> None:
    await upgrade(database)
    started = time.perf_counter()
    async with database.transaction() as session:
        report = await build_dataset(session, end=NOW)
    built = time.perf_counter() - started
    print(
        f"[{label}] data set: {report.meetings} meetings, {report.attendance} attendance rows, "
        f"{report.people} people ({built:.1f} s to build)"
    )
    tz = ZoneInfo("Europe/Stockholm")
    year = parse_period("2026")
    everything = Period(report.first.date(), NOW.date(), "all")
    assert year is not None

    async def figures(period: Period) -> None:
        async with database.sessions() as session:
            index = await load_forum_index(session)
            await representation(session, index, index.top_level(), period, tz, NOW)

    async def export() -> None:
        async with database.sessions() as session:
            rows = await attendance_rows(session, report.first, NOW)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=ATTENDANCE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    one_year = await _median_ms(lambda: figures(year))
    all_years = await _median_ms(lambda: figures(everything))
    print(f"[{label}] representation, one year, all forums: {one_year:.1f} ms")
    print(f"[{label}] representation, all years, all forums: {all_years:.1f} ms")
    print(f"[{label}] attendance CSV export, all years: {await _median_ms(export):.1f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    async for label, database in both_databases(args.postgres):
        await run(database, label)


if __name__ == "__main__":
    asyncio.run(main())
