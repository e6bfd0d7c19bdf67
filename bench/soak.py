"""Hours of load without growth: mixed Slack and Teams traffic with the scheduler sending.

    .venv/bin/python -m bench.soak                    # 30 minutes on SQLite
    .venv/bin/python -m bench.soak --minutes 5 --rate 20 --postgres

The bot runs as `samverkan serve` in its own process on 127.0.0.1 against the benchmark's fake
Slack Web API and Bot Framework connector (bench/run.py). A paced client sends slash commands,
Teams 1:1 messages and channel mentions, and every few seconds a burst of due jobs is put in
the job table for the bot's dispatcher to send. Bounded in time and in requests. Every minute
it prints the bot process's resident memory, open file descriptors and threads, and at the
end a verdict: memory growth after the first five minutes under 5 %, descriptors flat.
Descriptors are read every second: a leak raises the fewest open in a minute (the count at
rest), while a burst in flight — connections to the database and to Slack — only lifts the
most, and falls back. The verdict is on the count at rest; the most is printed beside it.
Prints figures; asserts nothing (speed and memory are no tests).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from bench import teams_validated
from bench.bot_framework_keys import BotFrameworkKeys
from bench.run import (
    PG_SERVER,
    TEAM,
    TENANT,
    Remote,
    bot_server,
    free_port,
    postgres,
    prepare,
    rss_mib,
    serve_remote,
    slack_request,
    start,
    teams_mention,
    teams_request,
)
from bench.teams_validated import Request

QUESTIONS = ("kontakter brå", "vem Anna Lindqvist", "möten", "forum", "hjälp", "representation")
JOBS_PER_BURST = 50
BURST_SECONDS = 10.0
WARM_MINUTES = 5


@dataclass
class SoakRemote(Remote):
    """The benchmark's remote ends, counting the scheduler's posts to Slack channels."""

    posts: int = 0

    async def slack(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            await request.read()
            self.posts += 1
            return web.json_response({"ok": True, "channel": "C0SOAK", "ts": f"{self.posts}.0"})
        return await super().slack(request)


@dataclass
class Sample:
    minute: int
    rss_mib: float
    fds: int  # the fewest open during the minute: the count at rest
    fds_peak: int  # the most, with whatever was in flight
    threads: int
    requests: int
    failures: int
    jobs_sent: int


@dataclass
class Counters:
    requests: int = 0
    failures: int = 0
    samples: list[Sample] = field(default_factory=list)


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


async def _channels(database_url: str, count: int) -> list[int]:
    """Slack channels for the scheduler's jobs, stored as the bot stores them."""
    from storage.db import Database
    from storage.models import Channel

    database = Database(database_url)
    async with database.transaction() as session:
        rows = [
            Channel(platform="slack", workspace=TEAM, channel_id=f"C0SOAK{n:04d}", active=True)
            for n in range(count)
        ]
        session.add_all(rows)
        await session.flush()
        ids = [row.id for row in rows]
    await database.dispose()
    return ids


async def _bursts(database_url: str, channels: list[int], stop: asyncio.Event) -> None:
    """Every BURST_SECONDS, JOBS_PER_BURST due notices over the channels (the dispatcher's work)."""
    from bot.scheduler.jobs import Target, schedule
    from storage.db import Database

    database = Database(database_url)
    numbers = itertools.count()
    try:
        while not stop.is_set():
            now = datetime.now(UTC)
            async with database.transaction() as session:
                for _ in range(JOBS_PER_BURST):
                    n = next(numbers)
                    await schedule(
                        session,
                        "notice",
                        now,
                        {"key": "jobs.late", "values": {"due": "—"}},
                        (Target.CHANNEL, channels[n % len(channels)]),
                        f"soak-{n}",
                        now,
                    )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), BURST_SECONDS)
    finally:
        await database.dispose()


async def _traffic(
    url: str,
    remote_url: str,
    keys: BotFrameworkKeys,
    rate: float,
    limit: int,
    stop: asyncio.Event,
    counters: Counters,
) -> None:
    """A paced mix: a third each Slack commands, Teams 1:1 messages and channel mentions, the
    Teams ones with a Bot Framework token the bot checks, as in production."""
    questions = itertools.cycle(QUESTIONS)
    question = ""

    def ask(make: Callable[[str, str], Request]) -> Callable[[], Request]:
        return lambda: make(remote_url, question)

    plain = ask(slack_request)
    teams = teams_validated.signed(keys, remote_url + "/", ask(teams_request))
    mention = teams_validated.signed(keys, remote_url + "/", ask(teams_mention))
    makers = itertools.cycle((plain, teams, mention))
    gap = 1 / rate
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        next_at = time.perf_counter()
        while not stop.is_set() and counters.requests + counters.failures < limit:
            question = next(questions)
            path, body, headers, _ = next(makers)()
            try:
                async with session.post(url + path, data=body, headers=headers) as response:
                    await response.read()
                    ok = response.status in (200, 201, 202)
            except aiohttp.ClientError:
                ok = False
            counters.requests += ok
            counters.failures += not ok
            next_at += gap
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


def _verdict(samples: list[Sample]) -> list[str]:
    warm = [s for s in samples if s.minute >= WARM_MINUTES]
    if len(warm) < 2:
        return [f"verdict: the run was shorter than {WARM_MINUTES + 1} minutes: no verdict"]
    base, last = warm[0], warm[-1]
    growth = (last.rss_mib - base.rss_mib) / base.rss_mib * 100
    fd_spread = max(s.fds for s in warm) - min(s.fds for s in warm)
    peak = max(s.fds_peak for s in warm)
    return [
        f"verdict: RSS growth after minute {base.minute}: {growth:+.1f} % "
        f"({base.rss_mib:.1f} → {last.rss_mib:.1f} MiB; target < 5 %) — "
        + ("met" if growth < 5 else "NOT met"),
        f"verdict: open files at rest after minute {base.minute}: {min(s.fds for s in warm)}–"
        f"{max(s.fds for s in warm)} (spread {fd_spread}; target flat, ≤ 2) — "
        + ("met" if fd_spread <= 2 else "NOT met")
        + f"; the most open at any second: {peak}",
    ]


async def soak(minutes: float, rate: float, limit: int, use_postgres: bool) -> None:
    remote = SoakRemote()
    runner, remote_url = await serve_remote(remote)
    with tempfile.TemporaryDirectory() as folder:
        if use_postgres:
            name = f"samverkan_soak_{secrets.token_hex(4)}"
            await postgres(f'CREATE DATABASE "{name}"')
            base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            database_url = f"{base}/{name}"
        else:
            database_url = f"sqlite+aiosqlite:///{Path(folder) / 'soak.sqlite3'}"
        try:
            described = await prepare(database_url, quick=True)
            channels = await _channels(database_url, 50)
            print(f"data: {described}; {len(channels)} Slack channels for the scheduler")
            port = free_port()
            command, env = bot_server(port, database_url, remote_url)
            keys = BotFrameworkKeys(teams_validated.APP_ID)
            await keys.start()
            env.update(teams_validated.bot_env(keys, TENANT))
            server = await start("bot", command, env, port)
            counters = Counters()
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(
                    _traffic(server.url, remote_url, keys, rate, limit, stop, counters)
                ),
                asyncio.create_task(_bursts(database_url, channels, stop)),
            ]
            began = time.perf_counter()
            print(
                "minute  RSS MiB  open files at rest / most  threads  requests  failures"
                "  posts to Slack"
            )
            try:
                for minute in itertools.count(1):
                    deadline = began + minute * 60
                    if deadline > began + minutes * 60 + 1:
                        break
                    pid = server.process.pid
                    fds = [open_fds(pid)]
                    while (left := deadline - time.perf_counter()) > 0:
                        await asyncio.sleep(min(1.0, left))
                        fds.append(open_fds(pid))
                    sample = Sample(
                        minute,
                        rss_mib(pid),
                        min(fds),
                        max(fds),
                        threads(pid),
                        counters.requests,
                        counters.failures,
                        remote.posts,
                    )
                    counters.samples.append(sample)
                    print(
                        f"{sample.minute:6d}  {sample.rss_mib:7.1f}  "
                        f"{sample.fds:18d} / {sample.fds_peak:4d}  "
                        f"{sample.threads:7d}  {sample.requests:8d}  {sample.failures:8d}  "
                        f"{sample.jobs_sent:14d}",
                        flush=True,
                    )
            finally:
                stop.set()
                await asyncio.gather(*tasks, return_exceptions=True)
                server.stop()
                await keys.stop()
            for line in _verdict(counters.samples):
                print(line)
        finally:
            if use_postgres:
                await postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=30.0, help="requests a second")
    parser.add_argument("--limit", type=int, default=200_000, help="requests at most")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    args = parser.parse_args()
    asyncio.run(soak(args.minutes, args.rate, args.limit, args.postgres))


if __name__ == "__main__":
    main()
