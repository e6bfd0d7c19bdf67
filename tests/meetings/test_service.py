"""Functions other features use: the forum command's next meeting, reminder recipients."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core.request import ButtonPress
from bot.meetings.service import next_meeting, reminder_recipients
from storage.models import Forum, Person
from tests.conftest import NOW, Chat
from tests.meeting_support import add_meeting


async def test_next_meeting_of_a_forum_includes_its_groups(chat: Chat) -> None:
    db = chat.bot.database
    await add_meeting(db, "spindel", datetime(2026, 11, 20, 9, tzinfo=UTC))  # passed
    await add_meeting(db, "spindel", datetime(2026, 12, 1, 9, tzinfo=UTC), status="cancelled")
    group = await add_meeting(db, "spindel.broby", datetime(2026, 12, 8, 9, tzinfo=UTC))
    await add_meeting(db, "spindel", datetime(2026, 12, 9, 9, tzinfo=UTC))
    async with db.sessions() as session:
        spindel = await session.scalar(select(Forum).where(Forum.key == "spindel"))
        bra = await session.scalar(select(Forum).where(Forum.key == "bra"))
        assert spindel is not None and bra is not None
        found = await next_meeting(session, spindel.id, NOW)
        assert found is not None and found.id == group
        assert await next_meeting(session, bra.id, NOW) is None


async def test_reminders_go_to_those_who_said_they_are_coming(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "möte brå 3/12 9.00")
    for name, coming in (("Niklas Årcén", True), ("Merete Tillman", False)):
        session = await chat.session(name)
        action = ButtonPress("meeting.rsvp", {"meeting": 1, "coming": coming})
        await chat.bot.handle(session._request(press=action))
    async with chat.bot.database.sessions() as db:
        niklas = await db.scalar(select(Person.id).where(Person.name == "Niklas Årcén"))
        assert await reminder_recipients(db, 1) == [niklas]
