"""Each directory command issues the same number of SQL statements whatever the data size.

Between the two counts the people, forum memberships and attendance grow tenfold and the
meetings double; a query inside a loop over rows would show up as a higher second count. Both
data sets hold meetings in every week, so loaders that run only when there are rows (the
digest's attendance) run in both counts. Both
counts are taken once the directory in memory has caught up with the new data (its reload is
counted in tests/test_directory_cache.py). Timing is the benchmark's business (bench/), not
the tests'.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench.dataset import build_dataset
from tests.conftest import NOW, Chat
from tests.meeting_support import counting_queries

# Meetings run until half a year ahead, so `möten` has upcoming ones to list.
LATER = NOW + timedelta(days=182)

COMMANDS = [
    "kontakter brå",
    "kontakter spindelgrupp broby",
    "forum",
    "vem Anna Lindqvist",
    "vem bänkperson",
    "överenskommelse",
    "möten",
    "möten brå",
    "representation",
    "representation brå",
    "åtgärder",
    "påminnelser",
    "utkast",
    "sammanfattning",
    "hjälp",
]


async def _count(chat: Chat, message: str) -> tuple[int, str]:
    with counting_queries(chat.bot.database) as statements:
        text = await chat.text("Sara Nilsson", message)
    return len(statements), text


@pytest.mark.parametrize("message", COMMANDS)
async def test_a_command_issues_a_constant_number_of_queries(chat: Chat, message: str) -> None:
    async with chat.bot.database.transaction() as session:
        await build_dataset(session, end=LATER, years=1, people=12, density=1.0, seed_value=1)
    await chat.text("Sara Nilsson", message)  # first use: links the asker, warms caches
    small, small_text = await _count(chat, message)

    async with chat.bot.database.transaction() as session:
        await build_dataset(session, end=LATER, years=1, people=120, density=1.0, seed_value=2)
    await chat.text("Sara Nilsson", message)  # the directory in memory reloads once
    large, _ = await _count(chat, message)

    assert small > 0 and small_text
    assert large == small, (message, small, large)
