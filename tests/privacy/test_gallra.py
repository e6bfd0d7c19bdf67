"""`samverkan gallra`: deletes one category older than a day under a recorded decision.

It never touches joint-message decisions, draft versions, the audit log or attendance.
"""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli.main import main
from bot.core.engine import Bot
from bot.personal_data.retention import GALLRA_ACTION
from storage.models import (
    Attendance,
    AuditEvent,
    Channel,
    Job,
    Meeting,
    Person,
    ProcessedEvent,
    RoomLinkCode,
    Rsvp,
)
from tests.privacy.cli_helpers import cli

OLD = datetime(2025, 3, 1, 10, tzinfo=UTC)
NEWER = datetime(2026, 2, 1, 10, tzinfo=UTC)
CUTOFF = "2026-01-01"


def _job(key: str, kind: str, status: str, target: str, at: datetime) -> Job:
    return Job(
        kind=kind,
        due=at,
        payload={"text": key},
        target_kind=target,
        target_id=1,
        status=status,
        dedupe_key=key,
        created_at=at,
        finished_at=at if status != "pending" else None,
    )


async def _plant(bot: Bot) -> None:
    async with bot.database.transaction() as session:
        person = await session.scalar(select(Person).where(Person.name == "Erik Holm"))
        assert person is not None
        session.add_all(
            [
                _job("old-reminder", "reminder", "done", "person", OLD),
                _job("new-reminder", "reminder", "done", "person", NEWER),
                _job("pending-reminder", "reminder", "pending", "person", OLD),
                _job("old-notice", "notice", "done", "person", OLD),
                _job("old-digest", "digest", "done", "channel", OLD),
                ProcessedEvent(platform="slack", event_id="Ev1", at=OLD),
                ProcessedEvent(platform="slack", event_id="Ev2", at=NEWER),
            ]
        )
        channel = Channel(platform="console", workspace="", channel_id="c", name="c", bindings=[])
        session.add(channel)
        await session.flush()
        session.add(
            RoomLinkCode(code="ABC123", channel_id=channel.id, created_at=OLD, expires_at=OLD)
        )
        meeting = Meeting(forum_id=1, starts_at=OLD, created_at=OLD)
        session.add(meeting)
        await session.flush()
        session.add(Rsvp(meeting_id=meeting.id, person_id=person.id, coming=True, answered_at=OLD))
        session.add(
            Attendance(
                meeting_id=meeting.id,
                person_id=person.id,
                organization_id=person.organization_id,
                registered_at=OLD,
            )
        )


async def _count(bot: Bot, model: type) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _keys(bot: Bot) -> set[str]:
    async with bot.database.sessions() as session:
        return set((await session.scalars(select(Job.dedupe_key))).all())


async def _gallra(bot: Bot, category: str, *extra: str) -> str:
    result = await cli(
        bot.database,
        "gallra",
        "--category",
        category,
        "--before",
        CUTOFF,
        "--decision",
        "KS 2027/12",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result.output


async def test_a_dry_run_counts_and_changes_nothing(bot: Bot) -> None:
    await _plant(bot)
    out = await _gallra(bot, "direct-messages", "--dry-run")
    assert "2 rader i kategorin direct-messages är äldre än 2026-01-01" in out
    assert len(await _keys(bot)) == 5
    async with bot.database.sessions() as session:
        assert (
            await session.scalar(select(AuditEvent).where(AuditEvent.action == GALLRA_ACTION))
            is None
        )


async def test_each_category_deletes_only_what_it_names_and_records_the_decision(
    bot: Bot,
) -> None:
    await _plant(bot)
    assert "1 rader i kategorin reminders" in await _gallra(bot, "reminders")
    assert await _keys(bot) == {"new-reminder", "pending-reminder", "old-notice", "old-digest"}
    assert "1 rader" in await _gallra(bot, "direct-messages")
    assert await _keys(bot) == {"new-reminder", "pending-reminder", "old-digest"}
    assert "1 rader" in await _gallra(bot, "jobs")
    assert await _keys(bot) == {"new-reminder", "pending-reminder"}
    assert "1 rader" in await _gallra(bot, "events")
    assert await _count(bot, ProcessedEvent) == 1
    assert "1 rader" in await _gallra(bot, "room-link-codes")
    assert await _count(bot, RoomLinkCode) == 0
    out = await _gallra(bot, "rsvps")
    assert "1 rader" in out and "Gallringen är loggad med beslut KS 2027/12" in out
    assert await _count(bot, Rsvp) == 0
    assert await _count(bot, Attendance) == 1  # attendance is never a category's
    async with bot.database.sessions() as session:
        rows = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == GALLRA_ACTION))
        ).all()
    assert [(r.entity_id, r.after["deleted"] if r.after else None) for r in rows] == [
        ("reminders", 1),
        ("direct-messages", 1),
        ("jobs", 1),
        ("events", 1),
        ("room-link-codes", 1),
        ("rsvps", 1),
    ]
    assert all(r.after and r.after["decision"] == "KS 2027/12" for r in rows)


async def test_bad_input_is_refused_clearly_and_deletes_nothing(bot: Bot) -> None:
    await _plant(bot)
    future = await cli(
        bot.database, "gallra", "--category", "events", "--before", "2999-01-01", "--decision", "X"
    )
    assert future.exit_code == 1 and "ligger i framtiden" in future.output
    empty = await cli(
        bot.database, "gallra", "--category", "events", "--before", CUTOFF, "--decision", " "
    )
    assert empty.exit_code == 1 and "--decision" in empty.output
    unknown = await cli(
        bot.database, "gallra", "--category", "approvals", "--before", CUTOFF, "--decision", "X"
    )
    assert unknown.exit_code == 2 and "approvals" in unknown.output
    assert await _count(bot, ProcessedEvent) == 2


def test_help_lists_every_category() -> None:
    result = CliRunner().invoke(main, ["gallra", "--help"])
    for name in ("reminders", "direct-messages", "jobs", "events", "room-link-codes", "rsvps"):
        assert f"  {name} " in result.output
