"""Several workspaces: OAuth install into our own database, allow-list, Slack Connect users."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa
from aiohttp import ClientResponse
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import func, select

from adapters.slack.settings import SlackSettings
from bot.core.engine import Bot
from storage.models import Identity, slack_bots, slack_installations, slack_oauth_states
from tests.meeting_support import counting_queries
from tests.slack.conftest import ANNA, SlackDriver, sample, slack_driver, slack_settings
from tests.slack.fake_slack import TEAM, FakeSlack, Workspace

POLICE = "T0POLIS0001"
STRANGER = "T0STRANGER1"
POLICE_USER = "U0POLIS0001"
SPOOFER = "U0SPOOFER01"  # a user of a stranger's workspace with Anna's address on their profile


def oauth_settings(fake_slack: FakeSlack) -> SlackSettings:
    """OAuth mode; the municipality and the police may install, the fake Slack knows both."""
    fake_slack.workspaces = {
        "code-kommun": Workspace(TEAM, "xoxb-kommun"),
        "code-polis": Workspace(POLICE, "xoxb-polis"),
        "code-stranger": Workspace(STRANGER, "xoxb-stranger"),
    }
    fake_slack.users[POLICE_USER] = {
        "id": POLICE_USER,
        "team_id": POLICE,
        "locale": "sv-SE",
        "profile": {"email": "erik.holm@example.org", "real_name": "Erik Holm"},
    }
    return slack_settings(
        fake_slack,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="hemligt",
        SLACK_ALLOWED_TEAMS=f"{TEAM}, {POLICE}",
    )


@pytest.fixture
async def oauth(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with slack_driver(bot, fake_slack, oauth_settings(fake_slack)) as driver:
        yield driver


async def install(driver: SlackDriver, code: str) -> ClientResponse:
    start = await driver.client.get("/slack/install", allow_redirects=False)
    assert start.status in (200, 302)
    cookie = SimpleCookie(start.headers["Set-Cookie"])
    state = cookie["slack-app-oauth-state"].value
    return await driver.client.get(
        "/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
        allow_redirects=False,
    )


async def teams_installed(bot: Bot) -> list[str]:
    async with bot.database.sessions() as session:
        rows = await session.execute(select(slack_bots.c.team_id).order_by(slack_bots.c.team_id))
        return [str(r[0]) for r in rows]


async def test_install_flow_stores_installations_and_each_workspace_uses_its_token(
    oauth: SlackDriver, bot: Bot
) -> None:
    assert (await install(oauth, "code-kommun")).status == 200
    assert (await install(oauth, "code-polis")).status == 200
    assert await teams_installed(bot) == sorted([TEAM, POLICE])
    async with bot.database.sessions() as session:
        states = await session.scalar(select(func.count()).select_from(slack_oauth_states))
        installations = await session.scalar(select(func.count()).select_from(slack_installations))
    assert states == 0  # each state was consumed
    assert installations == 2

    await oauth.command("hjälp", user=POLICE_USER, team=POLICE)
    await oauth.command("hjälp", user=ANNA, team=TEAM)
    tokens = {c.args["user"]: c.token for c in oauth.fake.called("users.info")}
    assert tokens == {POLICE_USER: "xoxb-polis", ANNA: "xoxb-kommun"}
    assert len(oauth.fake.responses) == 2


async def test_a_state_cannot_be_used_twice(oauth: SlackDriver, bot: Bot) -> None:
    start = await oauth.client.get("/slack/install", allow_redirects=False)
    state = SimpleCookie(start.headers["Set-Cookie"])["slack-app-oauth-state"].value
    for expected in (200, 401):
        response = await oauth.client.get(
            "/slack/oauth_redirect",
            params={"code": "code-kommun", "state": state},
            headers={"Cookie": f"slack-app-oauth-state={state}"},
        )
        assert response.status == expected


async def test_a_workspace_outside_the_allow_list_cannot_install_nor_be_answered(
    oauth: SlackDriver, bot: Bot
) -> None:
    response = await install(oauth, "code-stranger")
    assert response.status == 403
    assert await teams_installed(bot) == []
    oauth.fake.users[SPOOFER] = {
        "id": SPOOFER,
        "team_id": STRANGER,
        "profile": {"email": "anna.lindqvist@example.org"},
    }
    await oauth.command("hjälp", user=SPOOFER, team=STRANGER)
    assert oauth.fake.responses == []
    assert oauth.fake.called("users.info") == []
    async with bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 0


@pytest.mark.parametrize("allow_list", ["", TEAM])
async def test_a_slack_connect_user_from_another_workspace_is_never_linked_by_email(
    bot: Bot, fake_slack: FakeSlack, allow_list: str
) -> None:
    fake_slack.users[SPOOFER] = {
        "id": SPOOFER,
        "team_id": STRANGER,
        "locale": "sv-SE",
        "profile": {"email": "anna.lindqvist@example.org"},
    }
    settings = slack_settings(fake_slack, SLACK_ALLOWED_TEAMS=allow_list)
    async with slack_driver(bot, fake_slack, settings) as driver:
        # In a channel shared with the stranger's workspace (Slack Connect).
        await driver.command("hjälp", user=SPOOFER, team=TEAM)
    [answer] = fake_slack.responses
    assert "inte registrerad" in answer["text"]  # answered, but as nobody in particular
    async with bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 0


async def test_a_slack_connect_user_from_an_allowed_workspace_is_linked_with_their_team(
    bot: Bot, fake_slack: FakeSlack
) -> None:
    fake_slack.users[POLICE_USER] = {
        "id": POLICE_USER,
        "team_id": POLICE,
        "locale": "sv-SE",
        "profile": {"email": "erik.holm@example.org"},
    }
    settings = slack_settings(fake_slack, SLACK_ALLOWED_TEAMS=f"{TEAM},{POLICE}")
    async with slack_driver(bot, fake_slack, settings) as driver:
        await driver.command("hjälp", user=POLICE_USER, team=TEAM)
    async with bot.database.sessions() as session:
        identity = await session.scalar(select(Identity))
    assert identity is not None
    assert (identity.workspace, identity.user_id) == (POLICE, POLICE_USER)


def test_our_slack_tables_match_slack_sdks_own_definitions() -> None:
    """slack_sdk reads and writes these tables; the migration must keep up with it."""
    theirs = sa.MetaData()
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    for ours in (slack_installations, slack_bots, slack_oauth_states):
        other = theirs.tables[ours.name]
        assert [c.name for c in ours.columns] == [c.name for c in other.columns]
        for mine, sdk in zip(ours.columns, other.columns, strict=True):
            assert type(mine.type) is type(sdk.type), mine.name
            assert getattr(mine.type, "length", None) == getattr(sdk.type, "length", None)
            assert mine.nullable == sdk.nullable, mine.name


async def test_url_verification_works_with_an_allow_list(oauth: SlackDriver) -> None:
    body = json.dumps(sample("url_verification.json")).encode()
    response = await oauth.post(body, "application/json")
    assert (await response.json())["challenge"] == sample("url_verification.json")["challenge"]


async def test_the_core_posts_to_each_workspace_with_its_own_token(
    oauth: SlackDriver, bot: Bot
) -> None:
    from bot.channels.bindings import get_or_create_channel
    from bot.core.reply import Reply
    from bot.core.request import ChannelRef

    await install(oauth, "code-kommun")
    await install(oauth, "code-polis")
    async with bot.database.transaction() as session:
        police_channel = await get_or_create_channel(
            session, ChannelRef("slack", "C0POLIS0001", workspace=POLICE)
        )
    await oauth.adapter.messenger.post(police_channel, Reply(text="Möte på torsdag"))
    [posted] = oauth.fake.called("chat.postMessage")
    assert (posted.args["channel"], posted.token) == ("C0POLIS0001", "xoxb-polis")


async def test_uninstall_forgets_the_installation(oauth: SlackDriver, bot: Bot) -> None:
    await install(oauth, "code-kommun")
    await install(oauth, "code-polis")
    await oauth.event({"type": "app_uninstalled", "event_ts": "1"}, "Ev0UNINSTALL2")
    assert await teams_installed(bot) == [POLICE]


async def test_each_workspace_is_looked_up_once_not_on_every_request(
    oauth: SlackDriver, bot: Bot
) -> None:
    """With several workspaces every request needs its installation; it is read once."""
    await install(oauth, "code-kommun")
    await install(oauth, "code-polis")
    assert oauth.adapter.installations is not None
    oauth.adapter.installations.check_seconds = float("inf")  # no check after the first
    with counting_queries(bot.database) as statements:
        for _ in range(4):
            await oauth.command("hjälp", user=POLICE_USER, team=POLICE)
            await oauth.command("hjälp", user=ANNA, team=TEAM)
    checks = [s for s in statements if "count(" in s.lower()]  # the fingerprint, first use
    reads = [s for s in statements if "FROM slack_installations" in s and s not in checks]
    # Bolt asks for the workspace's installation and for the user's own: two per workspace.
    assert len(reads) == 4
    assert len(checks) == 1
    assert len(oauth.fake.responses) == 8


async def test_an_uninstalled_workspace_is_forgotten_at_once(oauth: SlackDriver, bot: Bot) -> None:
    await install(oauth, "code-kommun")
    await install(oauth, "code-polis")
    await oauth.command("hjälp", user=POLICE_USER, team=POLICE)  # cached now
    answered = len(oauth.fake.responses)
    body_team = {"type": "app_uninstalled", "event_ts": "1"}
    await oauth.event(body_team, "Ev0UNINSTALL3")
    assert await teams_installed(bot) == [POLICE]

    calls = len(oauth.fake.calls)
    await oauth.command("hjälp", user=ANNA, team=TEAM)  # the uninstalled one: not answered
    assert not any("hjälp" in str(r.get("text")) for r in oauth.fake.responses[answered:])
    assert [c for c in oauth.fake.calls[calls:] if c.token == "xoxb-kommun"] == []
    await oauth.command("hjälp", user=POLICE_USER, team=POLICE)
    assert "hjälp" in str(oauth.fake.responses[-1].get("text"))
