"""Where the bot's CPU goes on one path: a Teams one with token validation on (issue 19), or
the Slack slash command for comparison.

    .venv/bin/python -m bench.teams_profile                 # channel mention, SQLite
    .venv/bin/python -m bench.teams_profile --path personal --requests 500
    .venv/bin/python -m bench.teams_profile --path slack --postgres

Runs the bot as `samverkan serve` under cProfile with CPU time as its clock (a shared machine
makes wall time meaningless), against the same fake connector and signing-key fake as
bench/run.py. The profile covers only the measured requests, after the warm-up: SIGUSR1 starts
it, SIGUSR2 writes it. Prints the top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench import teams_validated
from bench.bot_framework_keys import BotFrameworkKeys


def serve_profiled(port: str, output: str) -> None:
    """`samverkan serve` with a profiler that SIGUSR1 starts and SIGUSR2 writes out."""
    from app.cli.main import main

    profiler = cProfile.Profile(time.process_time)
    signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())

    def write(*_: object) -> None:
        profiler.disable()
        profiler.dump_stats(output)

    signal.signal(signal.SIGUSR2, write)
    main(["serve", "--port", port], standalone_mode=False)


async def profile(
    path: str, requests: int, top: int, use_postgres: bool, full: bool, concurrency: int
) -> None:
    from bench.run import (
        PG_SERVER,
        TENANT,
        Remote,
        answered_slack,
        answered_teams,
        bot_server,
        free_port,
        load,
        postgres,
        prepare,
        serve_remote,
        slack_request,
        start,
        teams_mention,
        teams_request,
    )

    remote = Remote()
    runner, remote_url = await serve_remote(remote)
    keys = BotFrameworkKeys(teams_validated.APP_ID)
    await keys.start()
    workdir = Path(tempfile.mkdtemp(prefix="samverkan-profile-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    name = f"samverkan_profile_{os.getpid()}"
    if use_postgres:
        await postgres(f'CREATE DATABASE "{name}"')
        base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        url = f"{base}/{name}"
    await prepare(url, quick=not full)
    expect = answered_slack if path == "slack" else answered_teams
    if path == "slack":
        make = lambda: slack_request(remote_url, "kontakter brå")  # noqa: E731
    else:
        shape = teams_mention if path == "mention" else teams_request
        make = teams_validated.signed(
            keys, remote_url + "/", lambda: shape(remote_url, "kontakter brå")
        )
    port = free_port()
    _, env = bot_server(port, url, remote_url)
    env.update(teams_validated.bot_env(keys, TENANT))
    output = workdir / "teams.prof"
    command = [sys.executable, "-m", "bench.teams_profile", "--serve", str(port), str(output)]
    server = await start("profiled bot", command, env, port)
    try:
        await load(server, make, 4, 250, 20.0, remote, expect)  # warm-up, first contact
        os.kill(server.process.pid, signal.SIGUSR1)
        await asyncio.sleep(0.2)
        phase = await load(server, make, concurrency, requests, 60.0, remote, expect)
        os.kill(server.process.pid, signal.SIGUSR2)
        for _ in range(100):
            await asyncio.sleep(0.1)
            if output.exists():
                break
    finally:
        server.stop()
        await runner.cleanup()
        await keys.stop()
        if use_postgres:
            await postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"{path}: {phase.requests} requests, {phase.failures} failed, server CPU"
        f" {phase.cpu / max(phase.requests, 1) * 1e6:.0f} µs/request (under the profiler);"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        stats = pstats.Stats(str(output), stream=text)
        stats.sort_stats(order).print_stats(top)
        print(text.getvalue())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve_profiled(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--path", choices=("mention", "personal", "slack"), default="mention")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--full", action="store_true", help="bench.run's full data set")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {1})
    asyncio.run(
        profile(args.path, args.requests, args.top, args.postgres, args.full, args.concurrency)
    )


if __name__ == "__main__":
    main()
