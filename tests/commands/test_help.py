from __future__ import annotations

from bot.core.reply import Visibility
from tests.conftest import Chat


async def test_help_is_generated_from_the_registry(chat: Chat) -> None:
    replies = await chat.ask("Sara Nilsson", "hjälp")
    text = replies[0].plain_text()
    for usage in (
        "kontakter <forum>",
        "forum",
        "vem <namn>",
        "överenskommelse [forum|kommunikation|uppföljning|organisation|budget]",
        "språk svenska|engelska",
    ):
        assert f"`{usage}`" in text
    assert "kanal" not in text  # admin commands are not offered to a member
    assert replies[0].visibility is Visibility.ONLY_TO_YOU


async def test_admins_see_their_commands_too(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "hjälp")
    assert "`kanal [ta bort] forum <forum>|gemensam|sammanfattning`" in text
    assert "`koppla <@användare> <person>`" in text


async def test_help_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "help")
    assert "Cooperation bot – help" in text and "`contacts <forum>`" in text


async def test_help_for_one_command_names_both_languages(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "hjälp kontakter")
    assert "`kontakter <forum>`" in text
    assert "`contacts`" in text and "`kontakter`" in text


async def test_help_for_a_misspelt_command_finds_it(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "hjälp kontaktr")
    assert "`kontakter <forum>`" in text


async def test_an_empty_message_gets_help(chat: Chat) -> None:
    assert "Samverkansboten – hjälp" in await chat.text("Sara Nilsson", "   ")
