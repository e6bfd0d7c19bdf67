"""Typing a button's words presses it, on every platform (bot/core/offered.py).

These call the core directly, as Slack and Teams do, so the terminal's own handling of numbers
and button words is not in the way; tests/slack and tests/teams send the same through the real
adapters.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.common.clock import FixedClock
from bot.core.reply import Reply
from storage.models import Meeting
from tests.conftest import Chat

THURSDAY = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
QUESTION = "möte brå 1/11 10:00"  # read as 1 November 2027, after the agreement: asked about


@pytest.fixture(autouse=True)
def thursday(clock: FixedClock) -> None:
    clock.set(THURSDAY)


async def _say(chat: Chat, name: str, text: str, channel: str = "terminal") -> list[Reply]:
    """A message to the core itself, past the terminal's own reading of button words."""
    session = await chat.session(name, channel)
    return await chat.bot.handle(session._request(text=text))


async def _meetings(chat: Chat) -> int:
    async with chat.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Meeting.id))) or 0)


async def test_typing_ja_to_the_year_question_saves_what_was_asked_about(chat: Chat) -> None:
    asked = await _say(chat, "Anna Lindqvist", QUESTION)
    assert "Menar du måndag 1 november 2027?" in asked[0].plain_text()

    replies = await _say(chat, "Anna Lindqvist", "  JA ")

    assert "Mötet M1" in replies[0].plain_text()
    assert "måndag 1 november 2027 kl. 10.00" in replies[0].plain_text()
    assert await _meetings(chat) == 1


async def test_typing_nej_presses_nej_and_saves_nothing(chat: Chat) -> None:
    await _say(chat, "Anna Lindqvist", QUESTION)

    replies = await _say(chat, "Anna Lindqvist", "nej")

    assert "Inget sparades" in replies[0].plain_text()
    assert await _meetings(chat) == 0


async def test_ja_without_a_question_is_read_as_typed(chat: Chat) -> None:
    replies = await _say(chat, "Anna Lindqvist", "ja")

    assert "Jag känner inte till kommandot ”ja”" in replies[0].plain_text()
    assert await _meetings(chat) == 0


async def test_an_answer_without_buttons_ends_the_offer(chat: Chat) -> None:
    await _say(chat, "Anna Lindqvist", QUESTION)
    await _say(chat, "Anna Lindqvist", "kontakter brå")

    await _say(chat, "Anna Lindqvist", "ja")

    assert await _meetings(chat) == 0


async def test_the_offer_is_the_askers_alone_and_in_that_conversation(chat: Chat) -> None:
    await _say(chat, "Anna Lindqvist", QUESTION, channel="brå-kanalen")

    await _say(chat, "Sara Nilsson", "ja", channel="brå-kanalen")  # someone else
    await _say(chat, "Anna Lindqvist", "ja", channel="en-annan-kanal")  # somewhere else
    assert await _meetings(chat) == 0

    await _say(chat, "Anna Lindqvist", "ja", channel="brå-kanalen")
    assert await _meetings(chat) == 1


async def test_a_second_ja_after_the_press_saves_nothing_more(chat: Chat) -> None:
    await _say(chat, "Anna Lindqvist", QUESTION)
    await _say(chat, "Anna Lindqvist", "ja")

    await _say(chat, "Anna Lindqvist", "ja")

    assert await _meetings(chat) == 1
