"""A joint draft co-signed across platforms: one bot, the real Slack and Teams adapters on one
server, a Slack channel and a Teams channel linked as one room.

Police and municipality staff may sit on different platforms, so the card goes to both
channels, a decision taken on either platform updates both copies, and the approved draft is
announced once per channel. Only Slack's Web API and the Bot Framework connector are fakes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from adapters.teams import TeamsAdapter
from app.cli.main import main
from app.server import build_app
from bot.channels.rooms import CODE_ALPHABET, CODE_LENGTH
from bot.common.config import Settings
from bot.core.engine import Bot
from storage.models import Approval, PostedMessage, RoomLink
from tests.slack import conftest as slack_conftest
from tests.slack.conftest import ANNA, ERIK, SlackDriver, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.messages import blocks_of, buttons, mrkdwn_texts
from tests.slack.test_drafts import JOINT, click
from tests.teams import conftest as teams_conftest
from tests.teams.conftest import MEGAN, MEGAN_AAD, Teams, teams_settings
from tests.teams.conftest import TEAM as TEAMS_CHANNEL
from tests.teams.fakes import Call, FakeConnector

# The fakes of both platforms, from their own test packages.
fake_slack = slack_conftest.fake_slack
connector = teams_conftest.connector

KARIN_TEAMS = "29:1KarinOberg0000000000000000000000000000000000000000000000000000000000000"
KARIN_AAD = "0b1c2d3e-4f50-4617-8a9b-c0d1e2f3a4b5"  # Karin Öberg, police signer, on Teams
SV = {"locale": "sv-SE"}
TEXT = "Trygghetsvandring i Broby torsdag kl. 18 <!channel> <at>Alla</at> [länk](http://x.se)"
APPROVED = "godkänd av båda parter"


@dataclass
class Both:
    """One bot, both real adapters on one aiohttp app, and what each fake recorded."""

    bot: Bot
    slack: SlackDriver
    teams: Teams

    @property
    def api(self) -> FakeSlack:
        return self.slack.fake

    @property
    def connector(self) -> FakeConnector:
        return self.teams.connector

    def slack_posts(self) -> list[dict[str, Any]]:
        return [c.args for c in self.api.called("chat.postMessage") if c.args["channel"] == JOINT]

    def slack_updates(self) -> list[dict[str, Any]]:
        return [c.args for c in self.api.called("chat.update")]

    def teams_sends(self) -> list[Call]:
        return [c for c in self.connector.of("send") if c.conversation == TEAMS_CHANNEL]

    def teams_updates(self) -> list[Call]:
        return [c for c in self.connector.of("update") if c.conversation == TEAMS_CHANNEL]

    def seen(self) -> tuple[int, int]:
        """How many calls each platform has had so far."""
        return len(self.api.calls) + len(self.api.responses), len(self.connector.calls)

    def in_teams(self, text: str, who: str, aad: str, event: str) -> dict[str, Any]:
        """A mention of the bot in the Teams channel the bot was added to."""
        activity = self.teams.message(text, id=event, **SV)
        activity["from"] = {"id": who, "aadObjectId": aad}
        activity["conversation"] = {
            **activity["conversation"],
            "id": f"{TEAMS_CHANNEL};messageid={event}",
        }
        activity["channelData"]["channel"] = {"id": TEAMS_CHANNEL}
        activity["channelData"]["teamsChannelId"] = TEAMS_CHANNEL
        return activity

    async def click_in_teams(
        self, action: dict[str, Any], card_id: str, who: str, aad: str, event: str
    ) -> dict[str, Any]:
        """An Action.Execute on the card in the Teams channel; returns the invoke response."""
        invoke = self.teams.activity("action_execute_invoke", id=event, replyToId=card_id, **SV)
        invoke["from"] = {"id": who, "aadObjectId": aad}
        invoke["conversation"] = {**invoke["conversation"], "id": TEAMS_CHANNEL}
        invoke["channelData"]["channel"] = {"id": TEAMS_CHANNEL}
        invoke["value"]["action"].update(verb=action["verb"], data=action["data"])
        status, body = await self.teams.post(invoke)
        assert status == 200, body
        assert isinstance(body, dict)
        return body


@pytest.fixture
async def both(bot: Bot, fake_slack: FakeSlack, connector: FakeConnector) -> AsyncIterator[Both]:
    connector.members[KARIN_TEAMS] = {
        "id": KARIN_TEAMS,
        "name": "Karin Öberg",
        "aadObjectId": KARIN_AAD,
        "email": "karin.oberg@example.org",
        "userPrincipalName": "karin.oberg@example.org",
    }
    slack = SlackAdapter(bot, slack_settings(fake_slack), post_interval=0.0)
    teams = TeamsAdapter(bot, teams_settings(TEAMS_LOCAL_MODE=True), credentials_factory=None)
    teams.messenger.backoff = 0
    client: TestClient[Any, Any] = TestClient(
        TestServer(build_app(bot, [slack, teams]), host="127.0.0.1")
    )
    await client.start_server()
    try:
        yield Both(
            bot,
            SlackDriver(slack, client, fake_slack),
            Teams(bot, teams, client, connector),
        )
    finally:
        await client.close()


# --- steps --------------------------------------------------------------------------------


async def bind_and_install(both: Both) -> None:
    """An admin binds the Slack channel as *gemensam*; the bot is added to the Teams team."""
    await both.slack.command("kanal gemensam", user=ANNA, channel=JOINT)
    assert "gemensam" in both.api.responses[-1]["text"].lower()
    status, _ = await both.teams.post(both.teams.activity("conversation_update_bot_installed_team"))
    assert status == 201
    [welcome] = both.teams_sends()
    assert "Samverkansboten" in welcome.text


async def link_by_code(both: Both) -> None:
    """`koppla rum` in Slack gives a code; `koppla rum <kod>` in Teams links the channels."""
    await both.slack.command("koppla rum", user=ANNA, channel=JOINT)
    answer = both.api.responses[-1]
    assert answer["response_type"] == "ephemeral"
    found = re.search(rf"Koden är ([{CODE_ALPHABET}]{{{CODE_LENGTH}}})", answer["text"])
    assert found is not None, answer["text"]
    code = found.group(1)

    sends = len(both.teams_sends())
    await both.teams.post(both.in_teams(f"koppla rum {code}", MEGAN, MEGAN_AAD, "m-link"))
    told_teams = both.teams_sends()[sends:] + [
        c for c in both.connector.of("reply") if c.conversation.startswith(TEAMS_CHANNEL + ";")
    ]
    assert [c.method for c in told_teams] == ["reply"]  # answered in the thread
    assert "kopplad med ops-approvals (Slack)" in told_teams[0].text
    [told_slack] = both.slack_posts()
    assert "kopplad med Finance (Teams)" in told_slack["text"]
    assert await count(both.bot, RoomLink) == 1


async def copies(bot: Bot) -> dict[str, str]:
    """The posted card's message id per platform, as stored for later updates."""
    async with bot.database.sessions() as session:
        rows = (await session.scalars(select(PostedMessage))).all()
    return {row.channel.platform: row.message_id for row in rows}


async def count(bot: Bot, model: type[Approval] | type[RoomLink]) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def teams_approve(
    both: Any, call: Call, card_id: str, who: str, aad: str, event: str
) -> dict[str, Any]:
    """The approve button of the signer's own card: everyone's card has none on Teams, and
    Teams asks for each signer's card through the card's refresh action."""
    [card] = call.cards
    assert "actions" not in card
    own = await both.click_in_teams(card["refresh"]["action"], card_id, who, aad, event + "v")
    return next(a for a in own["value"]["actions"] if a["title"] == "Godkänn")


def assert_escaped_on_teams(call: Call) -> None:
    """Teams would turn raw `<at>` with a mention entity, `<…>` or `[..](..)` into markup."""
    body = call.body or {}
    assert not [e for e in body.get("entities") or [] if e.get("type") == "mention"]
    shown = call.text
    assert "Trygghetsvandring i Broby" in shown
    assert re.search(r"(?<!\\)[<\[]", shown) is None, "unescaped markup on the card"
    assert "\\<at\\>Alla\\</at\\>" in shown and "\\<!channel\\>" in shown


def assert_escaped_on_slack(args: dict[str, Any]) -> None:
    """Slack parses mrkdwn and the fallback text; plain_text (the header) is shown as typed."""
    parsed = "\n".join([*mrkdwn_texts(blocks_of(args)), args["text"]])
    assert "<" not in parsed
    assert "&lt;!channel&gt; &lt;at&gt;Alla&lt;/at&gt;" in parsed


# --- the stories ----------------------------------------------------------------------------


async def test_a_draft_from_slack_is_co_signed_on_teams_and_slack_and_both_copies_follow(
    both: Both,
) -> None:
    await bind_and_install(both)
    await link_by_code(both)

    # Drafted in Slack: the card goes to the joint Slack channel and the linked Teams channel.
    await both.slack.command(f"utkast {TEXT}", user=ANNA, channel=JOINT)
    assert both.api.responses[-1]["text"].startswith("Utkast U1 är sparat")
    slack_card = both.slack_posts()[-1]
    assert_escaped_on_slack(slack_card)
    assert "Kommunen: väntar" in slack_card["text"] and "Polisen: väntar" in slack_card["text"]
    teams_card = both.teams_sends()[-1]
    assert_escaped_on_teams(teams_card)
    assert "Kommunen: väntar" in teams_card.text and "Polisen: väntar" in teams_card.text
    where = await copies(both.bot)
    assert set(where) == {"slack", "teams"}
    assert where["teams"] == teams_card.answered_id
    ts, card_id = where["slack"], where["teams"]

    # The police signer approves on Teams: the Slack copy and the Teams copy are updated.
    before_slack_posts, before_teams_sends = len(both.slack_posts()), len(both.teams_sends())
    approve_on_teams = await teams_approve(
        both, teams_card, card_id, KARIN_TEAMS, KARIN_AAD, "f:k1"
    )
    toast = await both.click_in_teams(approve_on_teams, card_id, KARIN_TEAMS, KARIN_AAD, "f:k1")
    # Teams answers the click with the card as everyone now sees it, the signer's answer below.
    assert toast["type"] == "application/vnd.microsoft.card.adaptive"
    assert toast["value"]["body"][-1]["text"] == "Du har godkänt version 1 av U1 för Polisen."
    [slack_update] = both.slack_updates()
    assert slack_update["channel"] == JOINT and slack_update["ts"] == ts
    assert "Polisen: godkänd av Karin Öberg 10.00" in slack_update["text"]
    assert "Kommunen: väntar" in slack_update["text"]
    assert_escaped_on_slack(slack_update)
    [teams_update] = both.teams_updates()
    assert teams_update.path.endswith(f"/activities/{card_id}")
    assert "Polisen: godkänd av Karin Öberg 10.00" in teams_update.text
    assert_escaped_on_teams(teams_update)
    assert await count(both.bot, Approval) == 1

    # Teams delivers the same invoke again: nothing changes on either platform.
    seen = both.seen()
    again = await both.click_in_teams(approve_on_teams, card_id, KARIN_TEAMS, KARIN_AAD, "f:k1")
    assert again["value"] == "Klart"  # not a refusal: the repeat was never handled again
    assert both.seen() == seen
    assert await count(both.bot, Approval) == 1

    # The municipality signer approves on Slack: both copies show the draft approved.
    approve_on_slack = buttons(blocks_of(both.slack_posts()[-1]))["Godkänn"]
    await both.slack.interact(click(both.slack, ERIK, approve_on_slack, ts=ts))
    final_slack = both.slack_updates()[-1]
    assert len(both.slack_updates()) == 2 and final_slack["ts"] == ts
    assert APPROVED in final_slack["text"]
    assert "Kommunen: godkänd av Erik Holm 10.00" in final_slack["text"]
    assert buttons(blocks_of(final_slack)) == {}
    final_teams = both.teams_updates()[-1]
    assert len(both.teams_updates()) == 2
    assert final_teams.path.endswith(f"/activities/{card_id}")
    assert APPROVED in final_teams.text.lower()
    assert "Kommunen: godkänd av Erik Holm 10.00" in final_teams.text
    assert not [a for a in final_teams.cards[0].get("actions", []) if a["title"] == "Godkänn"]
    assert_escaped_on_teams(final_teams)

    # Exactly one announcement per channel of the room, and no second card anywhere.
    slack_new = both.slack_posts()[before_slack_posts:]
    teams_new = both.teams_sends()[before_teams_sends:]
    assert [f"{APPROVED} och kan publiceras" in p["text"] for p in slack_new] == [True]
    assert [f"{APPROVED} och kan publiceras" in c.text for c in teams_new] == [True]
    assert await count(both.bot, Approval) == 2


async def _link_from_the_command_line(bot: Bot) -> str:
    settings = Settings(DATABASE_URL=bot.database.url)  # type: ignore[call-arg]
    result = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["link-channels", "--slack", JOINT, "--teams", TEAMS_CHANNEL],
        obj={"settings": settings},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


async def test_channels_linked_from_the_command_line_share_a_draft_made_on_teams(
    both: Both,
) -> None:
    await bind_and_install(both)
    output = await _link_from_the_command_line(both.bot)
    assert "linked: slack" in output and "teams Finance" in output
    assert await count(both.bot, RoomLink) == 1

    # Drafted in Teams by the municipality's author: both channels get the card.
    await both.teams.post(both.in_teams(f"utkast {TEXT}", MEGAN, MEGAN_AAD, "m-draft"))
    where = await copies(both.bot)
    assert set(where) == {"slack", "teams"}
    ts, card_id = where["slack"], where["teams"]
    [teams_card] = [c for c in both.teams_sends() if c.answered_id == card_id]
    assert_escaped_on_teams(teams_card)
    slack_card = both.slack_posts()[-1]
    assert_escaped_on_slack(slack_card)

    # The municipality signer approves on Slack: the Teams copy is updated.
    approve_on_slack = buttons(blocks_of(slack_card))["Godkänn"]
    await both.slack.interact(click(both.slack, ERIK, approve_on_slack, ts=ts))
    [teams_update] = both.teams_updates()
    assert teams_update.path.endswith(f"/activities/{card_id}")
    assert "Kommunen: godkänd av Erik Holm 10.00" in teams_update.text
    assert "Polisen: väntar" in teams_update.text

    # The police signer approves on Teams: the Slack copy shows the approved draft.
    approve = await teams_approve(both, teams_card, card_id, KARIN_TEAMS, KARIN_AAD, "f:k2")
    await both.click_in_teams(approve, card_id, KARIN_TEAMS, KARIN_AAD, "f:k2")
    final_slack = both.slack_updates()[-1]
    assert final_slack["ts"] == ts and APPROVED in final_slack["text"]
    assert "Polisen: godkänd av Karin Öberg 10.00" in final_slack["text"]
    assert APPROVED in both.teams_updates()[-1].text.lower()
    assert sum(f"{APPROVED} och kan publiceras" in p["text"] for p in both.slack_posts()) == 1
    assert sum(f"{APPROVED} och kan publiceras" in c.text for c in both.teams_sends()) == 1
