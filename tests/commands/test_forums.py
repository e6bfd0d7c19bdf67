from __future__ import annotations

from tests.conftest import Chat


async def test_forums_lists_the_four_forums_with_expected_parties(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "forum")
    for name in (
        "Lokala Brottsförebyggande rådet (Brå)",
        "Spindelgrupper (skola, socialtjänst, polis, fritid)",
        "Lagstadgad tillsynsverksamhet i samverkan",
        "Avhopparverksamhet",
    ):
        assert name in text
    assert text.count("Förväntas delta: Kommunen och Polisen") == 4
    assert "Grupper: Spindelgrupp Broby, Spindelgrupp Knislinge" in text


async def test_forums_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "språk engelska")
    text = await chat.text("Sara Nilsson", "forums")
    assert "Exit programme" in text and "Expected to attend: Kommunen and Polisen" in text
