"""On Teams an answer goes into the thread of the post it answers (real CloudAdapter)."""

from __future__ import annotations

import asyncio

from tests.teams.conftest import CHANNEL, Teams

ROOT = "1715682000000"  # the thread's first post
REPLY = "1715682093999"  # a reply in that thread which mentions the bot


async def test_a_mention_in_a_thread_is_answered_in_that_thread(teams: Teams) -> None:
    thread = f"{CHANNEL};messageid={ROOT}"
    activity = teams.message("hälsa hej", id=REPLY, locale="sv-SE")
    activity["conversation"] = {**activity["conversation"], "id": thread}

    await teams.post(activity)

    (answer,) = teams.connector.of("reply")
    assert answer.conversation == thread  # the thread, named by its root post
    assert answer.path.endswith(f"/activities/{REPLY}")  # as a reply to the mention
    assert "hej" in answer.text


async def test_a_slow_answer_in_a_thread_still_lands_in_that_thread(teams: Teams) -> None:
    teams.adapter.handler.invoke_budget = 0
    thread = f"{CHANNEL};messageid={ROOT}"
    invoke = teams.activity("action_execute_invoke", locale="sv-SE")
    invoke["conversation"] = {**invoke["conversation"], "id": thread}
    invoke["value"]["action"].update(verb="test.count", data={"count": 1})

    await teams.post(invoke)
    for _ in range(200):  # wait for the late answer; the bound only stops a hang
        if teams.connector.of("send"):
            break
        await asyncio.sleep(0.01)

    (late,) = teams.connector.of("send")
    assert late.conversation == thread
    assert "Räknare: 2" in late.text
