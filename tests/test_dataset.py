"""The benchmark data set builder, and the exports' constant query count at scale."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.cli.calendar import attendance_rows
from bench.dataset import build_dataset
from bot.common.periods import parse_period
from bot.directory.forums import load_forum_index
from bot.meetings.representation import representation
from storage.db import Database
from storage.models import Attendance, Meeting
from tests.conftest import NOW
from tests.meeting_support import counting_queries


async def test_builds_a_deterministic_data_set(database: Database) -> None:
    async with database.transaction() as session:
        report = await build_dataset(session, end=NOW, years=2, people=40, density=0.2)
    async with database.sessions() as session:
        meetings = await session.scalar(select(func.count()).select_from(Meeting))
        attendance = await session.scalar(select(func.count()).select_from(Attendance))
    assert meetings == report.meetings == 113
    assert attendance == report.attendance and attendance > 500


async def test_queries_do_not_grow_with_the_data(database: Database) -> None:
    tz = ZoneInfo("Europe/Stockholm")
    year = parse_period("2026")
    assert year is not None
    counts = []
    for density in (0.05, 0.3):
        async with database.transaction() as session:
            await build_dataset(session, end=NOW, years=1, people=30, density=density)
        with counting_queries(database) as statements:
            async with database.sessions() as session:
                index = await load_forum_index(session)
                await representation(session, index, index.top_level(), year, tz, NOW)
                rows = await attendance_rows(session, datetime(2020, 1, 1, tzinfo=UTC), NOW)
        assert rows
        counts.append(len(statements))
    assert counts[0] == counts[1]
