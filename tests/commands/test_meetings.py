"""`möten` / `meetings`: upcoming meetings with ids; need-to-know only for members."""

from __future__ import annotations

from bot.core.reply import Visibility
from tests.conftest import Chat


async def _schedule_some(chat: Chat) -> None:
    assert "M1" in await chat.text("Anna Lindqvist", "möte brå 3/12 9.00 plats: Kommunhuset")
    assert "M2" in await chat.text("Lars Persson", "möte tillsyn i morgon 19:00")
    assert "M3" in await chat.text("Sara Nilsson", "möte broby tisdag 13:30")


async def test_lists_upcoming_meetings_with_ids_in_time_order(chat: Chat) -> None:
    await _schedule_some(chat)
    # Police, in the inspections and in Spindelgrupp Knislinge (so not Broby's: no free text).
    replies = await chat.ask("Linnea Sjöberg", "möten")
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    items = replies[0].sections[0].items
    assert items == [
        "`M2` fredag 27 november 2026 kl. 19.00: Lagstadgad tillsynsverksamhet i samverkan",
        "`M1` torsdag 3 december 2026 kl. 09.00: Lokala Brottsförebyggande rådet (Brå)"
        " – Kommunhuset",
    ]
    items = (await chat.ask("Ahmed Karimi", "möten"))[0].sections[0].items  # in Spindel
    assert "`M3` tisdag 1 december 2026 kl. 13.30: Spindelgrupp Broby" in items


async def test_in_english_for_one_forum_with_its_groups(chat: Chat) -> None:
    await _schedule_some(chat)
    chat.bot.settings.locale = "en"
    replies = await chat.ask("Ahmed Karimi", "meetings spindel")  # a member of Spindel
    assert replies[0].heading == (
        "Upcoming meetings: Spider groups (school, social services, police, leisure)"
    )
    assert replies[0].sections[0].items == [
        "`M3` Tuesday 1 December 2026 at 13:30: Spider group Broby"
    ]


async def test_need_to_know_meetings_hidden_from_outsiders(chat: Chat) -> None:
    await _schedule_some(chat)
    outsider = await chat.text("Maria Ek", "möten")
    assert "M2" not in outsider and "tillsyn" not in outsider.lower()
    assert "M1" in outsider
    assert "bara för forumets medlemmar" in await chat.text("Maria Ek", "möten tillsyn")
    member = await chat.text("Linnea Sjöberg", "möten tillsyn")
    assert "`M2` fredag 27 november 2026 kl. 19.00" in member
    admin = await chat.text("Anna Lindqvist", "möten")
    assert "M2" in admin


async def test_cancelled_and_past_meetings_are_not_listed(chat: Chat) -> None:
    await _schedule_some(chat)
    await chat.text("Anna Lindqvist", "serie ställ in M1")
    text = await chat.text("Anna Lindqvist", "möten brå")
    assert "Inga kommande möten." in text


async def test_unknown_forum(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möten styrelsen")
    assert "Jag känner inte till det forumet" in text
