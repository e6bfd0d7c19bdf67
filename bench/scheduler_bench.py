"""Scheduler throughput and digest speed. Prints figures; asserts nothing (speed is no test).

1. 10,000 due jobs over 200 channels, a platform that answers at once: SQLite with 1
   dispatcher, PostgreSQL with 3, and on PostgreSQL the floor — a bare `SKIP LOCKED` claim loop
   on the same table, lease columns and fake send. For each: jobs per second, p50/p99 lateness
   (finished − due), SQL round trips per job, this process's CPU seconds and the load average,
   then a verdict per target of issue 19 (≥ 1,000 jobs/s and p99 < 15 s with 3 dispatchers on
   PostgreSQL) with the ratio to the floor measured in the same run. The machine is shared:
   the ratio and the CPU seconds say more than one wall-clock figure.
2. The weekly digest for one channel over a year of the realistic data set (target < 50 ms).

    .venv/bin/python -m bench.scheduler_bench [--jobs 10000] [--postgres postgresql://…/test]
                                              [--no-digest]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import delete, event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.databases import DEFAULT_POSTGRES, both_databases
from bench.dataset import build_dataset
from bot.common.clock import FixedClock, SystemClock
from bot.common.config import Settings
from bot.common.i18n import Translator
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.digest.build import DigestContext, compose
from bot.features import default_catalog
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.settings import SchedulerSettings
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Channel, Identity, Job

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CHANNELS = 200
# Issue 19's targets for the burst with 3 dispatchers on PostgreSQL.
TARGET_JOBS_PER_SECOND = 1_000
TARGET_P99_SECONDS = 15.0


@dataclass
class Figures:
    """One configuration's run: what the summary and the verdicts are made of."""

    label: str
    done: int
    jobs: int
    seconds: float
    p50: float
    p99: float
    round_trips: int
    cpu: float
    load: float

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else float("nan")

    def line(self) -> str:
        return (
            f"[{self.label}] {self.done}/{self.jobs} jobs: {self.rate:,.0f} jobs/s, "
            f"lateness p50 {self.p50:.2f} s p99 {self.p99:.2f} s, "
            f"{self.round_trips / max(self.done, 1):.3f} SQL round trips/job, "
            f"CPU {self.cpu:.2f} s ({self.cpu * 1000 / max(self.done, 1):.3f} ms/job), "
            f"load {self.load:.2f}"
        )


@contextmanager
def counting_round_trips(engines: list[AsyncEngine]) -> Iterator[list[int]]:
    """Round trips to the database: statements, BEGINs, COMMITs/ROLLBACKs and pings.

    The pool pings a connection only after it has been idle a while (storage/db.py); on
    asyncpg a ping outside autocommit is three round trips (BEGIN, an empty query, ROLLBACK).
    In autocommit SQLAlchemy still reports a begin and an end, but nothing goes to the server.
    (Not counted: asyncpg's one-off PREPARE of a statement new to a connection.)
    """
    counter = [0]

    def one(first: object = None, *_args: object) -> None:
        options = getattr(first, "get_execution_options", None)
        if callable(options) and options().get("isolation_level") == "AUTOCOMMIT":
            return
        counter[0] += 1

    hooks: list[tuple[object, str]] = []
    dialects: list[Any] = []
    for engine in engines:
        sync = engine.sync_engine
        names = ["before_cursor_execute", "begin", "commit", "rollback"]
        hooks += [(sync, name) for name in names]
        dialect = sync.dialect
        ping = dialect.do_ping

        def counted_ping(dbapi_connection: Any, ping: Any = ping) -> Any:
            counter[0] += 3
            return ping(dbapi_connection)

        dialect.do_ping = counted_ping  # type: ignore[method-assign]
        dialects.append((dialect, ping))
    for target, name in hooks:
        event.listen(target, name, one)
    try:
        yield counter
    finally:
        for target, name in hooks:
            event.remove(target, name, one)
        for dialect, ping in dialects:
            dialect.do_ping = ping


def _quantile(values: list[float], q: float) -> float:
    return values[max(int(len(values) * q) - 1, 0)] if values else float("nan")


async def _lateness(database: Database, waited: timedelta) -> tuple[int, float, float]:
    """Jobs done, p50 and p99 of finished − due, less `waited`: the time between writing the
    burst and starting the dispatchers, which a real burst does not have."""
    async with database.sessions() as session:
        rows = (await session.execute(select(Job.due, Job.finished_at, Job.status))).all()
    lateness = sorted(
        (r.finished_at - r.due - waited).total_seconds() for r in rows if r.status == "done"
    )
    return len(lateness), _quantile(lateness, 0.5), _quantile(lateness, 0.99)


@dataclass
class Instant:
    """A platform that answers at once."""

    platform: str = "bench"

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        return "ok"

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        return None

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        return "ok"


async def _fill(database: Database, jobs: int) -> datetime:
    """The burst: `jobs` jobs due within the last second; the moment they were written."""
    now = SystemClock().now()
    async with database.transaction() as session:
        await session.execute(delete(Job))
        await session.execute(delete(Channel).where(Channel.platform == "bench"))
        await session.execute(
            insert(Channel),
            [
                {"platform": "bench", "workspace": "", "channel_id": f"c{n}", "active": True}
                for n in range(CHANNELS)
            ],
        )
        ids = list(
            (await session.scalars(select(Channel.id).where(Channel.platform == "bench"))).all()
        )
        rows = [
            {
                "kind": "notice",
                "due": now - timedelta(milliseconds=n % 1000),
                "payload": {"key": "jobs.late", "values": {"due": "—"}},
                "target_kind": "channel",
                "target_id": ids[n % len(ids)],
                "status": "pending",
                "attempts": 0,
                "dedupe_key": f"bench-{n}",
                "created_at": now,
                "late": False,
            }
            for n in range(jobs)
        ]
        for start in range(0, len(rows), 1000):
            await session.execute(insert(Job), rows[start : start + 1000])
    return now


async def _throughput(database: Database, label: str, jobs: int, replicas: int) -> Figures:
    written = await _fill(database, jobs)
    settings = Settings(DATABASE_URL=database.url)  # type: ignore[call-arg]
    extra = [Database(database.url) for _ in range(replicas - 1)]
    dispatchers = []
    for n, db in enumerate([database, *extra]):
        bot = Bot(db, settings, SystemClock())
        bot.messengers["bench"] = Instant()
        dispatchers.append(
            Dispatcher(bot, SchedulerSettings(batch_size=100, rates={}), worker=f"b{n}")
        )

    async def drain(dispatcher: Dispatcher) -> None:
        while await dispatcher.run_once():
            pass

    engines = [database.engine, *(db.engine for db in extra)]
    with counting_round_trips(engines) as round_trips:
        waited = SystemClock().now() - written
        cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(drain(d) for d in dispatchers))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
    load = os.getloadavg()[0]
    for db in extra:
        await db.dispose()
    done, p50, p99 = await _lateness(database, waited)
    name = f"{label}, {replicas} dispatcher{'s' if replicas > 1 else ''}"
    figures = Figures(name, done, jobs, elapsed, p50, p99, round_trips[0], cpu, load)
    print(figures.line(), flush=True)
    return figures


async def _floor(database: Database, jobs: int, replicas: int) -> Figures:
    """The floor beside the bot: a bare claim loop on the same table, leases and fake send.

    Each worker claims 100 due jobs with `FOR UPDATE SKIP LOCKED`, sets the same lease columns,
    "sends" at once and marks them done — what the database alone allows on this machine.
    """
    written = await _fill(database, jobs)
    url = database.url.replace("postgresql+asyncpg://", "postgresql://")
    claim = """
        UPDATE job SET status = 'claimed', claimed_by = $1,
               claimed_until = now() + interval '60 seconds'
        WHERE id IN (
            SELECT id FROM job
            WHERE due <= now() AND status IN ('pending', 'claimed')
              AND (claimed_until IS NULL OR claimed_until <= now())
            ORDER BY due, id LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING id"""
    finish = "UPDATE job SET status = 'done', finished_at = now() WHERE id = ANY($1::int[])"
    round_trips = [0]

    async def worker(name: str) -> None:
        connection = await asyncpg.connect(url)
        try:
            while True:
                ids = [row["id"] for row in await connection.fetch(claim, name)]
                round_trips[0] += 1
                if not ids:
                    return
                await connection.execute(finish, ids)
                round_trips[0] += 1
        finally:
            await connection.close()

    waited = SystemClock().now() - written
    cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(worker(f"floor{n}") for n in range(replicas)))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    load = os.getloadavg()[0]
    done, p50, p99 = await _lateness(database, waited)
    name = f"floor, {replicas} bare SKIP LOCKED worker{'s' if replicas > 1 else ''}"
    figures = Figures(name, done, jobs, elapsed, p50, p99, round_trips[0], cpu, load)
    print(figures.line(), flush=True)
    return figures


def _verdicts(bot: Figures, floor: Figures) -> list[str]:
    """One line per target of issue 19, with the ratio to the floor of the same run."""
    ratio = bot.rate / floor.rate if floor.rate else float("nan")
    rate_ok = bot.rate >= TARGET_JOBS_PER_SECOND
    p99_ok = bot.p99 < TARGET_P99_SECONDS
    once_ok = bot.done == bot.jobs
    return [
        f"verdict: throughput {'PASS' if rate_ok else 'FAIL'}: {bot.rate:,.0f} jobs/s "
        f"(target ≥ {TARGET_JOBS_PER_SECOND:,}); {ratio:.2f} × the floor's {floor.rate:,.0f}",
        f"verdict: p99 lateness {'PASS' if p99_ok else 'FAIL'}: {bot.p99:.2f} s "
        f"(target < {TARGET_P99_SECONDS:.0f} s; the floor's {floor.p99:.2f} s)",
        f"verdict: all sent {'PASS' if once_ok else 'FAIL'}: {bot.done}/{bot.jobs} done "
        "(exactly once is tests/scheduler/test_claiming.py's to show)",
    ]


async def _digest(database: Database, label: str) -> None:
    async with database.transaction() as session:
        await build_dataset(session, end=NOW)
    tz = ZoneInfo("Europe/Stockholm")
    t = Translator("sv", tz)
    clock = FixedClock(NOW)
    sections = default_catalog().digest_sections

    async def once() -> None:
        async with database.sessions() as session:
            await compose(DigestContext(session, t, clock.now(), tz), sections)

    await once()
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        await once()
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"[{label}] weekly digest, one channel, realistic year: {statistics.median(timings):.1f} ms"
    )


async def run(database: Database, label: str, jobs: int, digest: bool) -> list[Figures]:
    await upgrade(database)
    if digest:
        await _digest(database, label)
    if database.dialect != "postgresql":
        return [await _throughput(database, label, jobs, 1)]
    return [await _throughput(database, label, jobs, 3), await _floor(database, jobs, 3)]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-digest", action="store_true", help="only the burst")
    args = parser.parse_args()
    results: list[Figures] = []
    async for label, database in both_databases(
        args.postgres, skipped_note="; no verdicts without the floor"
    ):
        results += await run(database, label, args.jobs, not args.no_digest)
    if len(results) < 3:
        return
    print("\nsummary (CPU is this process's: dispatchers and drivers, not the database server)")
    for figures in results:
        print("  " + figures.line())
    for line in _verdicts(results[-2], results[-1]):
        print(line)


if __name__ == "__main__":
    asyncio.run(main())
