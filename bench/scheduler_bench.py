"""Scheduler throughput and digest speed. Prints figures; asserts nothing (speed is no test).

1. 10,000 due jobs over 200 channels, 1 and 3 dispatchers, a platform that answers at once:
   jobs per second and the p99 lateness (finished − due); on PostgreSQL beside the floor, a bare
   `SKIP LOCKED` claim loop on the same table.
2. The weekly digest for one channel over a year of the realistic data set (target < 50 ms).

    .venv/bin/python -m bench.scheduler_bench [--jobs 10000] [--postgres postgresql://…/test]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import delete, insert, select

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


async def _fill(database: Database, jobs: int) -> None:
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


async def _throughput(database: Database, label: str, jobs: int, replicas: int) -> None:
    await _fill(database, jobs)
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

    started = time.perf_counter()
    await asyncio.gather(*(drain(d) for d in dispatchers))
    elapsed = time.perf_counter() - started
    for db in extra:
        await db.dispose()
    async with database.sessions() as session:
        rows = (await session.execute(select(Job.due, Job.finished_at, Job.status))).all()
    done = [r for r in rows if r.status == "done"]
    lateness = sorted((r.finished_at - r.due).total_seconds() for r in done)
    p99 = lateness[int(len(lateness) * 0.99) - 1] if lateness else float("nan")
    print(
        f"[{label}] {len(done)}/{jobs} jobs, {replicas} dispatcher(s): "
        f"{len(done) / elapsed:,.0f} jobs/s, p99 lateness {p99:.2f} s"
    )


async def _floor(database: Database, jobs: int, replicas: int) -> None:
    """The floor beside the bot: a bare claim loop on the same table, leases and fake send.

    Each worker claims 100 due jobs with `FOR UPDATE SKIP LOCKED`, sets the same lease columns,
    "sends" at once and marks them done — what the database alone allows on this machine.
    """
    await _fill(database, jobs)
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

    async def worker(name: str) -> None:
        connection = await asyncpg.connect(url)
        try:
            while True:
                ids = [row["id"] for row in await connection.fetch(claim, name)]
                if not ids:
                    return
                await connection.execute(finish, ids)
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(f"floor{n}") for n in range(replicas)))
    elapsed = time.perf_counter() - started
    print(f"[floor] bare claim loop, {replicas} worker(s): {jobs / elapsed:,.0f} jobs/s")


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


async def run(database: Database, label: str, jobs: int) -> None:
    await upgrade(database)
    await _digest(database, label)
    for replicas in (1, 3) if database.dialect == "postgresql" else (1,):
        await _throughput(database, label, jobs, replicas)
        if database.dialect == "postgresql":
            await _floor(database, jobs, replicas)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await run(database, "sqlite", args.jobs)
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
        await run(database, "postgresql", args.jobs)
        await database.dispose()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
