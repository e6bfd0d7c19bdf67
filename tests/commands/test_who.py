from __future__ import annotations

from tests.conftest import Chat


async def test_who_shows_organisation_title_roles_and_forums(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem Anna Lindqvist")
    assert "Organisation: Östra Göinge kommun" in text
    assert "Titel: Brå-samordnare" in text
    assert "E-post: anna.lindqvist@example.org" in text
    assert "Roller: medlem, administratör, Brå-samordnare" in text
    assert "Lokala Brottsförebyggande rådet (Brå) (sekreterare)" in text
    assert "Påhittad person i demodata." in text


async def test_a_first_name_is_enough_when_unique(chat: Chat) -> None:
    assert "Titel: Kommunpolis Osby, Östra Göinge" in await chat.text(
        "Sara Nilsson", "vem veronica"
    )


async def test_several_matches_are_listed(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "person ny Anna Berg, organisation: polisen, titel: Utredare")
    text = await chat.text("Sara Nilsson", "vem anna")
    assert "Flera personer matchar ”anna”" in text
    assert (
        "Anna Berg – Utredare, Polisen" in text
        and "Anna Lindqvist – Brå-samordnare, Kommunen" in text
    )


async def test_need_to_know_forums_are_hidden_from_outsiders(chat: Chat) -> None:
    outsider = await chat.text("Sara Nilsson", "vem Maria Ek")
    assert "Avhopparverksamhet" not in outsider
    assert "Spindelgrupp Glimåkra/Hanaskog (representant)" in outsider
    member = await chat.text("Peter Wallin", "vem Maria Ek")
    assert "Avhopparverksamhet (representant)" in member


async def test_nobody_by_that_name(chat: Chat) -> None:
    assert "Jag hittar ingen som heter ”Zlatan”" in await chat.text("Sara Nilsson", "vem Zlatan")


async def test_who_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "who is Veronica Gustafsson")
    assert "Roles: member, approves joint messages, community police officer" in text
