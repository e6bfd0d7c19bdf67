"""Both real adapters on the plain bot (the discovered commands only), with their fakes.

The fakes and drivers come from the platforms' own test packages, so these tests send exactly
what the Slack and Teams tests send.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core.engine import Bot
from tests.slack import conftest as slack_conftest
from tests.slack.conftest import SlackDriver, slack_driver
from tests.slack.fake_slack import FakeSlack
from tests.teams import conftest as teams_conftest
from tests.teams.conftest import Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector

fake_slack = slack_conftest.fake_slack
connector = teams_conftest.connector


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


@pytest.fixture
async def teams(bot: Bot, connector: FakeConnector) -> AsyncIterator[Teams]:
    harness = await start_teams(bot, connector, teams_settings(TEAMS_LOCAL_MODE=True))
    yield harness
    await harness.client.close()


def teams_message(teams: Teams, text: str, event: str, **changes: Any) -> dict[str, Any]:
    """A 1:1 message to the bot from Megan (linked by e-mail to Anna Lindqvist), in Swedish."""
    return teams.message(text, name="personal_message", id=event, **{"locale": "sv-SE", **changes})


def teams_click(teams: Teams, verb: str, data: Any, event: str) -> dict[str, Any]:
    """An Action.Execute on a card in the channel, with whatever data the test gives."""
    invoke = teams.activity("action_execute_invoke", id=event, locale="sv-SE")
    invoke["value"]["action"].update(verb=verb, data=data)
    return invoke
