"""Greetings and thanks get a short friendly answer, not "Jag känner inte till kommandot"."""

from __future__ import annotations

import pytest

from tests.conftest import Chat


@pytest.mark.parametrize(
    "said", ["hej", "Hej!", "hejsan 👋", "god morgon", "tack", "Tack så mycket!"]
)
async def test_swedish_small_talk_is_answered_with_a_hint(chat: Chat, said: str) -> None:
    text = await chat.text("Sara Nilsson", said)
    assert "känner inte till" not in text
    assert "`hjälp`" in text


async def test_a_greeting_uses_the_first_name(chat: Chat) -> None:
    assert "Hej Sara!" in await chat.text("Sara Nilsson", "hej")
    assert "God morgon Sara!" in await chat.text("Sara Nilsson", "god morgon")
    assert "Varsågod!" in await chat.text("Sara Nilsson", "tack!")


@pytest.mark.parametrize("said", ["hello", "thanks", "good morning", "Hi!"])
async def test_english_small_talk_is_answered_in_english(chat: Chat, said: str) -> None:
    text = await chat.text("Sara Nilsson", said)
    assert "`help`" in text
    assert "hjälp" not in text


async def test_small_talk_is_not_listed_in_help(chat: Chat) -> None:
    assert "hälsning" not in await chat.text("Sara Nilsson", "hjälp")


async def test_a_greeting_before_a_command_is_left_out(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "Hej! kontakter brå")
    assert "Kontakter – Lokala Brottsförebyggande rådet (Brå)" in text
