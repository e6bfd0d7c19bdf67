"""A slash command is answered in the acknowledgement when the core is quick, later when not.

Bolt runs with process_before_response=True (no 10 ms acknowledgement poll); these tests check
behaviour, not time: where the answer goes, that it goes once, and that slow work never holds
the acknowledgement back.
"""

from __future__ import annotations

import asyncio

from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.context import Context
from bot.core.engine import Bot
from bot.core.registry import Access, Command
from bot.core.reply import Reply
from bot.features import default_catalog
from storage.db import Database
from tests.slack.conftest import SlackDriver, slack_driver
from tests.slack.fake_slack import FakeSlack


async def test_a_quick_answer_comes_in_the_acknowledgement(slack: SlackDriver) -> None:
    response = await slack.command("kontakter brå")

    assert response.status == 200
    [ack] = slack.acknowledged
    assert ack["response_type"] == "ephemeral"
    assert "Brå" in ack["text"] and ack["blocks"]
    [shown] = slack.fake.responses  # nothing more went to response_url
    assert {k: v for k, v in shown.items() if k != "_url"} == ack


async def test_past_the_budget_the_answer_goes_to_response_url_once(slack: SlackDriver) -> None:
    slack.adapter.inline_budget = 0  # the core cannot finish before the acknowledgement

    response = await slack.command("kontakter brå")

    assert response.status == 200 and await response.text() == ""
    [answer] = slack.fake.responses
    assert "Brå" in answer["text"] and answer["response_type"] == "ephemeral"


async def test_slow_work_never_holds_the_acknowledgement_back(
    seeded: Database, settings: Settings, clock: FixedClock, fake_slack: FakeSlack
) -> None:
    released = asyncio.Event()
    started: list[str] = []

    async def slow(context: Context, args: dict[str, str]) -> Reply:
        started.append(args.get("text", ""))
        await released.wait()  # finishes only once the test has its HTTP answer
        return Reply(text="Klart")

    registry = default_catalog().registry
    registry.add(Command("test_slow", ("långsam",), ("slow",), slow, access=Access.ANYONE))
    bot = Bot(seeded, settings, clock, registry=registry)
    async with slack_driver(bot, fake_slack) as driver:
        driver.adapter.inline_budget = 0.05
        posting = asyncio.ensure_future(driver.command("långsam"))
        # The HTTP answer arrives while the command still runs: `slow` cannot finish before
        # `released` is set, so waiting for both the acknowledgement and the start (in either
        # order: on a loaded machine the budget may run out before the core reaches the
        # handler) cannot race.
        for _ in range(3000):
            if driver.acknowledged and started:
                break
            await asyncio.sleep(0.01)
        assert driver.acknowledged == [{}]
        assert started and fake_slack.responses == []
        released.set()
        await posting

    [answer] = fake_slack.responses
    assert answer["text"] == "Klart"
    assert len(started) == 1  # the core ran once, not again in the lazy listener
