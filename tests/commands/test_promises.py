"""`löften` / `promises`: a year's promises by focus area, counted per party and status."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.engine import Bot
from tests.conftest import Chat
from tests.lifecycle_helpers import DECEMBER_3, add_promises, record_basis, set_clock


async def test_the_years_promises_by_focus_area_with_counts(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await record_basis(chat)
    await add_promises(chat)
    said = await chat.text(
        "Anna Lindqvist",
        "löften område Trygghet i Broby centrum år 2027 underlag trygghetsmätning "
        "fynd Otrygghet kvällstid i centrum",
    )
    assert "Fokusområdet ”Trygghet i Broby centrum” (2027) är sparat" in said
    await chat.text("Sara Nilsson", "löfte L2 status pågår")
    text = await chat.text("Sara Nilsson", "löften 2027")
    assert "Medborgarlöften 2027" in text
    assert "Text: saknas – föreslå den med `löften text 2027 <text>`" in text
    lines = text.splitlines()
    area = lines.index("Fokusområde: Trygghet i Broby centrum")
    assert lines[area + 1] == (
        "• Svarar på: Trygghetsmätning 30 oktober 2026 – ”Otrygghet kvällstid i centrum”"
    )
    assert lines[area + 2].startswith("• L2 Trygghetsvandringar i Broby centrum – Gemensamt")
    assert "Fokusområde: Trafiksäkerhet" in lines
    assert "Utan fokusområde" in lines
    counts = lines[lines.index("Per part och status") + 1 :]
    assert counts[:3] == [
        "• Kommunen: 1 ej påbörjad",
        "• Polisen: 1 ej påbörjad",
        "• Gemensamt: 1 pågår",
    ]


async def test_without_a_year_december_shows_this_year_and_the_coming_one(
    chat: Chat, bot: Bot
) -> None:
    set_clock(bot, DECEMBER_3)
    replies = await chat.ask("Sara Nilsson", "löften")
    assert [r.heading for r in replies] == ["Medborgarlöften 2026", "Medborgarlöften 2027"]
    set_clock(bot, datetime(2027, 1, 12, 9, tzinfo=UTC))
    replies = await chat.ask("Sara Nilsson", "löften")
    assert [r.heading for r in replies] == ["Medborgarlöften 2026", "Medborgarlöften 2027"]
    set_clock(bot, datetime(2027, 4, 12, 8, tzinfo=UTC))
    replies = await chat.ask("Sara Nilsson", "löften")
    assert [r.heading for r in replies] == ["Medborgarlöften 2027"]


async def test_an_overdue_commitment_is_shown_as_such(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    set_clock(bot, datetime(2027, 3, 2, 9, tzinfo=UTC))  # L3 was due on 1 March
    text = await chat.text("Sara Nilsson", "löften 2027")
    overdue = text.split("Försenade åtaganden")[1]
    assert "L3 Bättre belysning i Folkets park – Anna Lindqvist: skulle vara klart 1 mars 2027" in (
        overdue
    )
    assert "L1" not in overdue  # no date of its own, and no report has passed yet


async def test_publishing_needs_the_approved_text(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    refused = await chat.text(
        "Anna Lindqvist", "löften publicerad https://ostragoinge.se/ml år 2027"
    )
    assert "inte godkända av båda parter" in refused
    wrong = await chat.text("Sara Nilsson", "löften text Vi lovar")
    assert "Bara kommunpolisen" in wrong


async def test_promises_in_english(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "promises 2027")
    assert "Citizen promises 2027" in text and "Per party and status" in text
    assert "Joint: 1 not started" in text


async def test_the_home_tab_shows_my_commitments_and_which_are_overdue(
    chat: Chat, bot: Bot
) -> None:
    from bot.core.home import build_home
    from bot.core.request import ChannelRef, PlatformUser, Request

    set_clock(bot, DECEMBER_3)
    await add_promises(chat)

    async def home_of(name: str) -> list[str]:
        person = (await chat.session(name)).person
        request = Request(
            user=PlatformUser(platform="console", user_id=str(person.id)),
            channel=ChannelRef(platform="console", channel_id="home", is_direct=True),
            person_id=person.id,
        )
        [home] = await build_home(bot, request)
        found = [s for s in home.sections if s.title == "Mina åtaganden i medborgarlöftena"]
        return found[0].items if found else []

    assert await home_of("Sara Nilsson") == [
        "L2 Trygghetsvandringar i Broby centrum – Gemensamt, Sara Nilsson: "
        "utfall 0 av 4 trygghetsvandringar, ej påbörjad"
    ]
    assert await home_of("Karin Öberg") == []  # owns none: no section at all
    set_clock(bot, datetime(2027, 3, 2, 9, tzinfo=UTC))
    assert await home_of("Anna Lindqvist") == [
        "L3 Bättre belysning i Folkets park – Anna Lindqvist: skulle vara klart 1 mars 2027"
    ]
