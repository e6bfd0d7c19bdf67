from __future__ import annotations

import pytest

from bot.core.reply import Visibility
from tests.conftest import Chat


@pytest.mark.parametrize(
    "name", ["brå", "Brå", "bra", "BRÅ", "lokala brå", "brottsförebyggande rådet"]
)
async def test_forum_names_match_forgivingly(chat: Chat, name: str) -> None:
    text = await chat.text("Sara Nilsson", f"kontakter {name}")
    assert "Kontakter – Lokala Brottsförebyggande rådet (Brå)" in text


async def test_contacts_group_by_organisation_with_details(chat: Chat) -> None:
    replies = await chat.ask("Sara Nilsson", "kontakter brå")
    reply = replies[0]
    titles = [section.title for section in reply.sections]
    assert titles == ["Kommunen", "Polisen"]
    kommun = reply.sections[0].items
    assert (
        "Anna Lindqvist, Brå-samordnare · sekreterare · anna.lindqvist@example.org · 070-174 06 05"
        in kommun
    )
    assert reply.sections[1].items[0].startswith("Ahmed Karimi")
    assert reply.visibility is Visibility.ONLY_TO_YOU


async def test_a_spider_group_by_name(chat: Chat) -> None:
    for query in ("spindelgrupp broby", "spindel broby", "broby"):
        text = await chat.text("Sara Nilsson", f"kontakter {query}")
        assert "Kontakter – Spindelgrupp Broby" in text, query
        assert "Ahmed Karimi" in text and "Sara Nilsson" in text
        assert "Johan Berg" not in text  # he is in Knislinge and Sibbhult
        assert "Skriv inga uppgifter om enskilda personer." in text


async def test_the_spider_forum_shows_every_group(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "kontakter spindel")
    for group in ("Broby", "Knislinge", "Glimåkra/Hanaskog", "Sibbhult"):
        assert f"Spindelgrupp {group} – Kommunen" in text


async def test_need_to_know_contacts_refuse_outsiders_without_names(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "kontakter avhopp")
    assert "visas bara för forumets medlemmar" in text
    for name in ("Maria Ek", "Peter Wallin"):
        assert name not in text


async def test_need_to_know_contacts_are_shown_to_members_and_admins(chat: Chat) -> None:
    for asker in ("Maria Ek", "Anna Lindqvist"):
        text = await chat.text(asker, "kontakter avhopp")
        assert "Maria Ek" in text and "Peter Wallin" in text, asker


async def test_a_missing_representative_is_visible(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "medlem tillsyn Linnea Sjöberg ta bort")
    text = await chat.text("Anna Lindqvist", "kontakter tillsyn")
    assert "Linnea" not in text
    assert "Polisen\n• Ingen representant registrerad" in text
    assert "Lars Persson" in text  # the municipality still represented
    await chat.ask("Anna Lindqvist", "medlem tillsyn Lars Persson ta bort")
    text = await chat.text("Anna Lindqvist", "kontakter tillsyn")
    assert "Kommunen\n• Ingen representant registrerad" in text


async def test_unknown_forum_lists_the_forums(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "kontakter fotbollslaget")
    assert "Jag hittar inget forum som heter ”fotbollslaget”" in text
    assert "bra, spindel, tillsyn, avhopp" in text


async def test_missing_forum_shows_how_to_write_it(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "kontakter")
    assert "Det saknas forum" in text and "`kontakter <forum>`" in text


async def test_contacts_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "contacts bra")
    assert "Contacts – Local Crime Prevention Council (Brå)" in text
    assert "secretary" in text
