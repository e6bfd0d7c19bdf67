"""`samverkan jobs` lists what is scheduled; `--parked` only what needs an admin."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from click.testing import CliRunner, Result
from sqlalchemy import update

from app.cli.main import main
from bot.scheduler.jobs import Target, schedule
from storage.db import Database
from storage.models import Job


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)


def test_jobs_lists_pending_and_parked(cli_database_url: str) -> None:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert "Inga jobb." in run(cli_database_url, "jobs").output
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


def test_say_shows_the_askers_due_reminders(cli_database_url: str) -> None:
    """The terminal has no push: a due reminder appears the next time the person speaks."""
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert run(cli_database_url, "seed").exit_code == 0

    async def due_reminder() -> None:
        from sqlalchemy import select

        from bot.common.clock import SystemClock
        from bot.followup.reminders import add_reminder
        from storage.models import Person

        database = Database(cli_database_url)
        async with database.transaction() as session:
            sara = await session.scalar(select(Person.id).where(Person.name == "Sara Nilsson"))
            assert sara is not None
            now = SystemClock().now()
            await add_reminder(session, sara, now, "ring skolan", now)
        await database.dispose()

    asyncio.run(due_reminder())
    first = run(cli_database_url, "say", "--as", "Sara Nilsson", "hjälp").output
    assert "Påminnelse" in first and "ring skolan" in first
    second = run(cli_database_url, "say", "--as", "Sara Nilsson", "hjälp").output
    assert "ring skolan" not in second
    other = run(cli_database_url, "say", "--as", "Johan Berg", "hjälp").output
    assert "ring skolan" not in other
