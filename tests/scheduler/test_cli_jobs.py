"""`samverkan jobs` lists what is scheduled; `--parked` only what needs an admin."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from click.testing import CliRunner, Result
from sqlalchemy import update

from bot.cli.main import main
from bot.scheduler.jobs import Target, schedule
from storage.db import Database
from storage.models import Job


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)


def test_jobs_lists_pending_and_parked(cli_database_url: str) -> None:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert "No jobs." in run(cli_database_url, "jobs").output
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    async def put() -> None:
        database = Database(cli_database_url)
        async with database.transaction() as session:
            await schedule(session, "notice", now, {"key": "x"}, (Target.PERSON, 1), "a", now)
            await schedule(session, "digest", now, {}, (Target.CHANNEL, 2), "b", now)
            await session.execute(
                update(Job)
                .where(Job.dedupe_key == "b")
                .values(status="parked", attempts=5, last_error="HTTP 500")
            )
        await database.dispose()

    asyncio.run(put())
    listed = run(cli_database_url, "jobs").output
    assert "notice" in listed and "digest" in listed and "HTTP 500" in listed
    parked = run(cli_database_url, "jobs", "--parked").output
    assert "digest" in parked and "notice" not in parked
