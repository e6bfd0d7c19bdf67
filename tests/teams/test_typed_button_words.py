"""Typing "ja" to a question with a Ja button, through the real CloudAdapter (core offers)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.common.clock import FixedClock
from storage.models import Meeting
from tests.teams.conftest import Teams


async def _meetings(teams: Teams) -> int:
    async with teams.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Meeting.id))) or 0)


async def test_ja_typed_in_the_personal_chat_presses_ja(teams: Teams, clock: FixedClock) -> None:
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    await teams.post(
        teams.message("möte brå 1/11 10:00", name="personal_message", id="m1", locale="sv-SE")
    )
    (question,) = teams.connector.of("reply")
    assert "Menar du måndag 1 november 2027?" in question.text
    assert await _meetings(teams) == 0

    status, _ = await teams.post(
        teams.message("Ja", name="personal_message", id="m2", locale="sv-SE")
    )

    assert status == 201
    answer = teams.connector.of("reply")[-1]
    assert "Mötet M1" in answer.text
    assert await _meetings(teams) == 1
    await teams.post(
        teams.message("Ja", name="personal_message", id="m2", locale="sv-SE")
    )  # a replay
    assert await _meetings(teams) == 1
