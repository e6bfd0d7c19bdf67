"""English mode is complete, a command typed in English is answered in English, and the
terminal greets in the language it will answer in."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.console import ConsoleSession, FileShelf
from app.cli.chat import deliver_while_open, greeting
from bot.commands.link_room import platform_name
from bot.common.clock import FixedClock
from bot.common.i18n import catalog
from bot.core.engine import Bot
from tests.conftest import Chat


async def test_a_command_typed_in_english_is_answered_in_english(chat: Chat) -> None:
    assert "Cooperation forums" in await chat.text("Sara Nilsson", "forums")
    assert "Forum för samverkan" in await chat.text("Sara Nilsson", "forum")
    # A stored choice wins over the words typed.
    await chat.ask("Sara Nilsson", "språk svenska")
    assert "Forum för samverkan" in await chat.text("Sara Nilsson", "forums")


async def test_forums_in_english_have_english_cadences_and_parties(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "forums")
    assert "Meets (the organisations' own setting): 4–10 meetings a year" in text
    assert "every week or every other week during school terms" in text
    assert "möten per år" not in text and "Kommunen" not in text


async def test_representation_sentences_in_english(chat: Chat, clock: FixedClock) -> None:
    await chat.ask("Anna Lindqvist", "möte brå idag 10:15")
    await chat.ask("Ahmed Karimi", "närvaro M1")
    await chat.ask("Sara Nilsson", "language english")
    clock.advance(timedelta(hours=2))  # held
    text = await chat.text("Sara Nilsson", "representation brå")
    assert "The police was represented at 1 of 1 meetings" in text
    assert "The municipality was represented at 0 of 1 meetings" in text
    assert "Polisen" not in text


def test_platform_names_are_words_not_codes() -> None:
    from zoneinfo import ZoneInfo

    from bot.common.i18n import Translator

    swedish = Translator("sv", ZoneInfo("Europe/Stockholm"))
    assert platform_name(swedish, "console") == "terminalen"
    assert platform_name(swedish, "teams") == "Teams"
    assert platform_name(swedish, "matrix") == "matrix"


def test_klarsprak_in_the_swedish_catalog() -> None:
    swedish = catalog("sv")
    for key, text in swedish.items():
        assert "console" not in text.lower(), key
        assert "mina forums" not in text, key


async def test_the_terminal_greets_in_its_language(chat: Chat) -> None:
    session = await chat.session("Sara Nilsson")
    assert greeting(session).startswith("Du pratar med Samverkansboten som Sara Nilsson.")
    session.locale = "en-GB"
    assert greeting(session).startswith("You are talking to Samverkansboten as Sara Nilsson.")


async def test_the_open_terminal_shows_due_messages_between_lines(
    chat: Chat,
    bot: Bot,
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 ring skolan")
    clock.advance(timedelta(days=6))
    session: ConsoleSession = await chat.session("Sara Nilsson")
    task = asyncio.create_task(deliver_while_open(session, FileShelf(tmp_path), every=0.01))
    try:
        for _ in range(500):  # rounds, not a deadline: stop as soon as it is shown
            await asyncio.sleep(0.01)
            if "ring skolan" in capsys.readouterr().out:
                break
        else:
            pytest.fail("the due reminder was never shown")
    finally:
        task.cancel()
