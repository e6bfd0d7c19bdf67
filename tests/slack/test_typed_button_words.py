"""Typing "ja" to a question with a Ja button, through the real Bolt app (bot/core/offered.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.common.clock import FixedClock
from storage.models import Meeting
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver


async def _meetings(slack: SlackDriver) -> int:
    async with slack.adapter.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Meeting.id))) or 0)


def _last_answer(slack: SlackDriver) -> str:
    return json.dumps(slack.fake.responses[-1], ensure_ascii=False)


async def test_ja_typed_after_the_year_question_presses_ja(
    slack: SlackDriver, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    await slack.command("möte brå 1/11 10:00", user=ANNA, channel=CHANNEL)
    assert "Menar du måndag 1 november 2027?" in _last_answer(slack)
    assert await _meetings(slack) == 0

    await slack.command("ja", user=ANNA, channel=CHANNEL)

    assert "Mötet M1" in _last_answer(slack)
    assert await _meetings(slack) == 1
    await slack.command("ja", user=ANNA, channel=CHANNEL)  # the offer was used: read as typed
    assert "Jag känner inte till kommandot" in _last_answer(slack)
    assert await _meetings(slack) == 1
