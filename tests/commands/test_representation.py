"""`representation`: figures on a hand-computed fixture, periods, visibility, query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.common.periods import parse_period
from storage.models import Person, Rsvp
from tests.conftest import NOW, Chat
from tests.meeting_support import add_meeting, attend, counting_queries


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=UTC)


async def _fixture(chat: Chat) -> None:
    """Brå 2026: four held meetings; the police missed the 2nd (T2) and the 4th (T3)."""
    db = chat.bot.database
    m1 = await add_meeting(db, "bra", at("2026-02-10"))
    m2 = await add_meeting(db, "bra", at("2026-05-12"))
    m3 = await add_meeting(db, "bra", at("2026-09-15"))
    m4 = await add_meeting(db, "bra", at("2026-11-10"))
    await add_meeting(db, "bra", at("2026-12-10"))  # not held yet
    cancelled = await add_meeting(db, "bra", at("2026-10-01"), status="cancelled")
    m7 = await add_meeting(db, "bra", at("2025-11-04"))
    broby = await add_meeting(db, "spindel.broby", at("2026-03-03"))
    await attend(db, m1, "Anna Lindqvist", "Patric Åberg", "Niklas Årcén")
    await attend(db, m2, "Anna Lindqvist")
    await attend(db, m3, "Merete Tillman", "Veronica Gustafsson", "Niklas Årcén")
    await attend(db, m4, "Patric Åberg")
    await attend(db, cancelled, "Niklas Årcén", "Anna Lindqvist")
    await attend(db, m7, "Anna Lindqvist", "Niklas Årcén")
    await attend(db, broby, "Ahmed Karimi")
    # An RSVP is not attendance: the police said they would come to M2 and M4.
    async with db.transaction() as session:
        niklas = await session.scalar(select(Person).where(Person.name == "Niklas Årcén"))
        assert niklas is not None
        for meeting in (m2, m4):
            session.add(Rsvp(meeting_id=meeting, person_id=niklas.id, coming=True, answered_at=NOW))


async def test_year_figures_and_missing_meetings(chat: Chat) -> None:
    await _fixture(chat)
    text = await chat.text("Anna Lindqvist", "representation brå 2026")
    assert "Kommunen var representerad vid 4 av 4 möten i Brå 2026 (100 %)." in text
    assert "Polisen var representerad vid 2 av 4 möten i Brå 2026 (50 %)." in text
    assert "Polisen saknades vid: M2 (12 maj 2026), M4 (10 november 2026)" in text
    assert "Kommunen saknades" not in text


async def test_default_period_is_the_current_year(chat: Chat) -> None:
    await _fixture(chat)
    text = await chat.text("Anna Lindqvist", "representation brå")
    assert "Polisen var representerad vid 2 av 4 möten i Brå 2026 (50 %)." in text


@pytest.mark.parametrize(
    ("period", "kommun", "polis"),
    [
        ("2026-T1", "1 av 1", "1 av 1"),
        ("2026-T2", "1 av 1", "0 av 1"),
        ("2026-T3", "2 av 2", "1 av 2"),
        ("2026-H1", "2 av 2", "1 av 2"),
        ("2026-h2", "2 av 2", "1 av 2"),
        ("2026-09..2026-11", "2 av 2", "1 av 2"),
        ("2025", "1 av 1", "1 av 1"),
    ],
)
async def test_periods(chat: Chat, period: str, kommun: str, polis: str) -> None:
    await _fixture(chat)
    text = await chat.text("Anna Lindqvist", f"representation brå {period}")
    assert f"Kommunen var representerad vid {kommun} möten" in text
    assert f"Polisen var representerad vid {polis} möten" in text


async def test_all_forums_include_their_groups_in_english(chat: Chat) -> None:
    await _fixture(chat)
    chat.bot.settings.locale = "en"
    replies = await chat.ask("Anna Lindqvist", "representation 2026")
    sections = {s.title: s.items for s in replies[0].sections}
    spider = sections["Spider groups (school, social services, police, leisure)"]
    assert spider[0].startswith("The municipality was represented at 0 of 1 meetings")
    assert "The police was represented at 1 of 1 meetings" in spider[2]
    assert "Joint statutory inspections" in sections  # Anna is an admin


async def test_need_to_know_forums_not_reported_to_outsiders(chat: Chat) -> None:
    await _fixture(chat)
    replies = await chat.ask("Sara Nilsson", "representation 2026")
    titles = [s.title for s in replies[0].sections]
    assert "Avhopparverksamhet" not in titles
    assert "Lagstadgad tillsynsverksamhet i samverkan" not in titles
    assert "bara för forumets medlemmar" in await chat.text("Sara Nilsson", "representation avhopp")


async def test_bad_period(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "representation brå 2026-T4")
    assert "Jag kan inte läsa perioden" in text


async def test_constant_number_of_queries_whatever_the_data_size(chat: Chat) -> None:
    await _fixture(chat)
    db = chat.bot.database
    await chat.text("Anna Lindqvist", "hjälp")  # the chat session finds its person once
    with counting_queries(db) as small:
        await chat.text("Anna Lindqvist", "representation brå 2026")
    for week in range(40):
        meeting = await add_meeting(db, "bra", at("2026-01-05") + timedelta(days=7 * week))
        await attend(db, meeting, "Anna Lindqvist", "Niklas Årcén")
    with counting_queries(db) as large:
        text = await chat.text("Anna Lindqvist", "representation brå 2026")
    assert "av 44 möten" in text
    assert len(large) == len(small)


def test_parse_period() -> None:
    t1 = parse_period("2026-T1")
    assert t1 is not None and (t1.start.isoformat(), t1.end.isoformat()) == (
        "2026-01-01",
        "2026-05-01",
    )
    t3 = parse_period("2026-t3")
    assert t3 is not None and t3.end.isoformat() == "2027-01-01"
    span = parse_period("2026-11..2027-02")
    assert span is not None and span.end.isoformat() == "2027-03-01"
    assert parse_period("2026-T4") is None
    assert parse_period("2026-12..2026-01") is None
    assert parse_period("2026-13..2027-01") is None
