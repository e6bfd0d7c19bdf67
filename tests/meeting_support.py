"""Helpers for the meeting tests: bind channels, add meetings and attendance directly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import event, select

from bot.core.reply import Reply
from storage.db import Database
from storage.models import Attendance, Channel, ChannelBinding, Forum, Meeting, Person
from tests.conftest import NOW, Chat


async def bind_channel(database: Database, channel_id: str, forum_key: str) -> int:
    """A console channel bound to a forum, as `kanal koppla` would leave it."""
    async with database.transaction() as session:
        forum = await session.scalar(select(Forum).where(Forum.key == forum_key))
        assert forum is not None
        channel = Channel(platform="console", workspace="", channel_id=channel_id, name=channel_id)
        channel.bindings = [ChannelBinding(purpose="forum", forum_id=forum.id)]
        session.add(channel)
        await session.flush()
        return channel.id


async def add_meeting(
    database: Database, forum_key: str, starts_at: datetime, status: str = "scheduled"
) -> int:
    async with database.transaction() as session:
        forum = await session.scalar(select(Forum).where(Forum.key == forum_key))
        assert forum is not None
        meeting = Meeting(
            forum_id=forum.id,
            starts_at=starts_at,
            duration_minutes=60,
            status=status,
            recorded_afterwards=False,
            created_at=NOW,
        )
        session.add(meeting)
        await session.flush()
        return meeting.id


async def attend(database: Database, meeting_pk: int, *names: str) -> None:
    async with database.transaction() as session:
        for name in names:
            person = await session.scalar(select(Person).where(Person.name == name))
            assert person is not None
            session.add(
                Attendance(
                    meeting_id=meeting_pk,
                    person_id=person.id,
                    organization_id=person.organization_id,
                    registered_at=NOW,
                )
            )


async def count_rows(database: Database, model: Any, **where: Any) -> int:
    async with database.sessions() as session:
        query = select(model).filter_by(**where)
        return len((await session.scalars(query)).unique().all())


def posted_to(chat: Chat, channel_id: str) -> list[Reply]:
    messenger = chat.bot.messengers["console"]
    return [reply for channel, reply in messenger.posted if channel == channel_id]  # type: ignore[attr-defined]


@contextmanager
def counting_queries(database: Database) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
