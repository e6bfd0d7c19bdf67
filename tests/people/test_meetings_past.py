"""`möten tidigare`, the question after a meeting, and attendance for non-members."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console import ConsoleMessenger
from app.cli.chat import deliver_due_to_terminal
from bot.common.clock import FixedClock
from bot.meetings.names import ATTENDANCE_ASK_KIND, ATTENDANCE_FORM_ROUTE
from storage.models import Job, Person
from tests.conftest import NOW, Chat
from tests.meeting_support import add_meeting


async def _id(chat: Chat, name: str) -> int:
    async with chat.bot.database.sessions() as session:
        found = await session.scalar(select(Person.id).where(Person.name == name))
        assert found is not None
        return found


async def _asks(chat: Chat) -> list[Job]:
    async with chat.bot.database.sessions() as session:
        query = select(Job).where(Job.kind == ATTENDANCE_ASK_KIND).order_by(Job.target_id)
        return list((await session.scalars(query)).all())


def _direct(chat: Chat, person_id: int) -> list[str]:
    messenger = chat.bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [r.plain_text() for where, r in messenger.posted if where == f"direct:{person_id}"]


async def test_past_meetings_say_whether_attendance_is_registered(
    chat: Chat, clock: FixedClock
) -> None:
    assert "M1" in await chat.text("Anna Lindqvist", "möte brå idag 10:15")
    await add_meeting(chat.bot.database, "bra", NOW - timedelta(days=7), status="cancelled")
    clock.advance(timedelta(hours=3))
    listed = await chat.text("Sara Nilsson", "möten tidigare")
    assert "Tidigare möten" in listed
    assert (
        "`M1` torsdag 26 november 2026 kl. 10.15: "
        "Lokala Brottsförebyggande rådet (Brå) – närvaro saknas" in listed
    )
    assert "`M2` torsdag 19 november 2026" in listed and "inställt" in listed
    assert listed.index("M1") < listed.index("M2")  # newest first
    await chat.ask("Birgitta Holmén", "närvaro M1 Ahmed Karimi, Erik Holm")
    assert "närvaro registrerad (2)" in await chat.text("Sara Nilsson", "möten tidigare brå")
    english = await chat.text("Sara Nilsson", "meetings past")
    assert "Past meetings" in english and "attendance registered (2)" in english


async def test_past_need_to_know_meetings_stay_hidden(chat: Chat, clock: FixedClock) -> None:
    await add_meeting(chat.bot.database, "avhopp", NOW - timedelta(days=2))
    assert "Inga möten" in await chat.text("Sara Nilsson", "möten tidigare")
    assert "Avhopparverksamhet" in await chat.text("Peter Wallin", "möten tidigare")
    refused = await chat.text("Sara Nilsson", "möten tidigare avhopp")
    assert "M1" not in refused


async def test_the_chair_and_secretary_are_asked_after_the_meeting(
    chat: Chat, clock: FixedClock
) -> None:
    await chat.ask("Erik Holm", "möte brå idag 10:15")
    chair, secretary = await _id(chat, "Birgitta Holmén"), await _id(chat, "Anna Lindqvist")
    asks = await _asks(chat)
    assert sorted(job.target_id for job in asks) == sorted([chair, secretary])
    assert {job.due for job in asks} == {
        NOW + timedelta(hours=1, minutes=15)
    }  # its end (10.15 local + 1 h)
    clock.advance(timedelta(hours=1, minutes=20))
    await deliver_due_to_terminal(chat.bot, chair)
    [asked] = _direct(chat, chair)
    assert "Registrera närvaro för M1" in asked and "`närvaro M1 <namn>, <namn>`" in asked
    messenger = chat.bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    [reply] = [r for where, r in messenger.posted if where == f"direct:{chair}"]
    assert [b.route for b in reply.buttons] == [ATTENDANCE_FORM_ROUTE]


async def test_no_question_once_attendance_is_registered(chat: Chat, clock: FixedClock) -> None:
    await chat.ask("Erik Holm", "möte brå idag 10:15")
    await chat.ask("Erik Holm", "närvaro M1")
    clock.advance(timedelta(hours=1, minutes=20))
    chair = await _id(chat, "Birgitta Holmén")
    await deliver_due_to_terminal(chat.bot, chair)
    assert _direct(chat, chair) == []


async def test_where_there_is_no_chair_the_booker_is_asked_and_may_register_others(
    chat: Chat, clock: FixedClock
) -> None:
    assert "M1" in await chat.text("Lars Persson", "möte tillsyn idag 10:15")
    lars = await _id(chat, "Lars Persson")
    assert [job.target_id for job in await _asks(chat)] == [lars]
    clock.advance(timedelta(minutes=30))
    text = await chat.text("Lars Persson", "närvaro M1 Linnea Sjöberg")
    assert "Närvaro registrerad på M1: Linnea Sjöberg (Polisen)" in text
    refused = await chat.text("Linnea Sjöberg", "närvaro M1 Lars Persson")
    assert "Närvaro registrerad" not in refused


async def test_a_non_member_is_registered_with_a_visible_note(
    chat: Chat, clock: FixedClock
) -> None:
    await chat.ask("Anna Lindqvist", "möte brå idag 10:15")
    text = await chat.text("Birgitta Holmén", "närvaro M1 Sara Nilsson")
    assert "Sara Nilsson (ej medlem i forumet – räknas för Kommunen)" in text
