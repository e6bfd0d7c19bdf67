"""`serie` / `series`: a series with one moved and one cancelled occurrence, the rest kept."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent, Meeting, MeetingSeries
from tests.conftest import Chat
from tests.meeting_support import bind_channel, posted_to


async def _series(chat: Chat) -> None:
    text = await chat.text(
        "Sara Nilsson", "möte broby varannan tisdag 13:30 till 2027-01-15 även under lov"
    )
    assert "4 möten" in text


async def test_lists_the_series(chat: Chat) -> None:
    await _series(chat)
    replies = await chat.ask("Ahmed Karimi", "serie M2")
    assert replies[0].heading == "Mötesserie: Spindelgrupp Broby"
    assert replies[0].text == "Rytm: varannan tisdag kl. 13.30 till och med 15 januari 2027"
    assert replies[0].sections[0].items == [
        "`M1` tisdag 1 december 2026 kl. 13.30",
        "`M2` tisdag 15 december 2026 kl. 13.30",
        "`M3` tisdag 29 december 2026 kl. 13.30",
        "`M4` tisdag 12 januari 2027 kl. 13.30",
    ]


async def test_move_and_cancel_one_occurrence_leave_the_rest(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "broby-kanal", "spindel.broby")
    await _series(chat)
    text = await chat.text("Sara Nilsson", "serie flytta M2 2026-12-16 10:00")
    assert "M2 är flyttat från tisdag 15 december 2026 kl. 13.30 till onsdag 16 december" in text
    chat.bot.settings.locale = "en"
    text = await chat.text("Ahmed Karimi", "series cancel M3")
    assert "M3 (Tuesday 29 December 2026 at 13:30) is cancelled." in text
    replies = await chat.ask("Ahmed Karimi", "series M1")
    assert replies[0].sections[0].items == [
        "`M1` Tuesday 1 December 2026 at 13:30",
        "`M2` Wednesday 16 December 2026 at 10:00 – moved from Tuesday 15 December 2026 at 13:30",
        "`M3` Tuesday 29 December 2026 at 13:30 – cancelled",
        "`M4` Tuesday 12 January 2027 at 13:30",
    ]
    async with chat.bot.database.sessions() as session:
        series = await session.scalar(select(MeetingSeries))
        assert series is not None and series.rrule.startswith("FREQ=WEEKLY;INTERVAL=2")
        actions = (await session.scalars(select(AuditEvent.action))).all()
        assert "meeting.move" in actions and "meeting.cancel" in actions
        statuses = (await session.scalars(select(Meeting.status).order_by(Meeting.id))).all()
        assert statuses == ["scheduled", "scheduled", "cancelled", "scheduled"]


async def test_cancelled_card_is_updated_without_buttons(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "broby-kanal", "spindel.broby")
    await _series(chat)
    await chat.text("Sara Nilsson", "serie ställ in M1")
    card = posted_to(chat, "broby-kanal")[-1]
    assert card.heading == "INSTÄLLT – möte M1: Spindelgrupp Broby"
    assert card.buttons == []
    assert "redan inställt" in await chat.text("Sara Nilsson", "serie ställ in M1")


async def test_only_members_change_meetings(chat: Chat) -> None:
    await _series(chat)
    # Spindel allows no free text, so an outsider cannot even see its meetings.
    text = await chat.text("Lars Persson", "serie flytta M2 2026-12-16 10:00")
    assert "Jag hittar inget möte M2" in text
    # A member of another Spindel group sees it no more than an outsider.
    text = await chat.text("Johan Berg", "serie flytta M2 2026-12-16 10:00")
    assert "Jag hittar inget möte M2" in text
    # An open forum's series is seen by everyone, and changed by its members only.
    assert "4 möten" in await chat.text(
        "Anna Lindqvist", "möte brå varannan torsdag 13:30 till 2027-01-15"
    )
    text = await chat.text("Lars Persson", "serie flytta M6 2026-12-16 10:00")
    assert "Bara medlemmar i Lokala Brottsförebyggande rådet (Brå)" in text


async def test_move_refuses_unreadable_and_past_times(chat: Chat) -> None:
    await _series(chat)
    assert "Skriv till exempel" in await chat.text("Sara Nilsson", "serie flytta M2 snart")
    assert "har redan varit" in await chat.text("Sara Nilsson", "serie flytta M2 2026-11-01 10:00")


async def test_single_meeting_is_not_a_series(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "möte brå 3/12 9.00")
    assert "ingår inte i någon serie" in await chat.text("Anna Lindqvist", "serie M1")
