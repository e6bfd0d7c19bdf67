"""`förstärk` end to end from Slack: the request card in the joint channel, its "Jag har delat"
button through the real Bolt app, and the card updated in place with who shared the post."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.core.engine import Bot
from storage.models_publications import Amplification
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, slack_driver
from tests.slack.fake_slack import FakeSlack
from tests.slack.limits import block_kit_problems
from tests.slack.messages import blocks_of, buttons
from tests.slack.test_drafts import JOINT, KARIN, SARA, _user, bind_joint_channel, click

POST = "https://www.facebook.com/polisenhassleholm/posts/1234"


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    fake_slack.users[KARIN] = _user(KARIN, "Karin Öberg", "karin.oberg@example.org")
    fake_slack.users[SARA] = _user(SARA, "Sara Nilsson", "sara.nilsson@example.org")
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


async def shares(bot: Bot) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Amplification.id))) or 0)


async def test_the_other_party_presses_i_shared_it_on_the_card(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)
    await slack.command(f"förstärk {POST}", user=KARIN, channel=CHANNEL)
    asked = slack.fake.responses[-1]
    assert asked["response_type"] == "ephemeral"
    assert asked["text"].startswith("Förfrågan F1 är skickad till")
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == JOINT
    assert block_kit_problems(posted.args) == []
    assert "Polisen ber er dela ett inlägg" in posted.args["text"]
    on_card = buttons(blocks_of(posted.args))
    assert list(on_card) == ["Jag har delat"]
    ts = "1764147600.000001"  # the fake's first message ts

    # The police's own staff cannot count as sharing their own post.
    await slack.interact(click(slack, KARIN, on_card["Jag har delat"], ts=ts))
    refusal = slack.fake.responses[-1]
    assert refusal["_url"] == KARIN.lower() and refusal["response_type"] == "ephemeral"
    assert "Polisens eget" in refusal["text"]
    assert slack.fake.called("chat.update") == []

    # The municipality's communicator shares: recorded, thanked, the card updated for all.
    await slack.interact(click(slack, SARA, on_card["Jag har delat"], ts=ts))
    thanks = slack.fake.responses[-1]
    assert thanks["_url"] == SARA.lower() and thanks["response_type"] == "ephemeral"
    assert thanks["text"] == "Tack! Det är sparat att du delade inlägget i F1."
    [update] = slack.fake.called("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (JOINT, ts)
    assert "Delat av Sara Nilsson" in update.args["text"]
    assert block_kit_problems(update.args) == []
    assert await shares(bot) == 1

    # `förstärk` alone, from the admin: nothing is open any more.
    await slack.command("förstärk", user=ANNA, channel=CHANNEL)
    assert "Inga öppna förfrågningar" in slack.fake.responses[-1]["text"]
