"""The web pages of Slack's install flow speak the bot's language and pass WCAG 2.1 AA (axe)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from bot.core.engine import Bot
from tests.a11y.axe import AxeCheck
from tests.slack.conftest import slack_driver, slack_settings
from tests.slack.fake_slack import TEAM, FakeSlack, Workspace


async def test_the_slack_install_pages_are_accessible(
    bot: Bot, fake_slack: FakeSlack, axe_page: AxeCheck
) -> None:
    fake_slack.workspaces = {"code-kommun": Workspace(TEAM, "xoxb-kommun")}
    settings = slack_settings(
        fake_slack,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="hemligt",
        SLACK_ALLOWED_TEAMS=TEAM,
    )
    async with slack_driver(bot, fake_slack, settings) as driver:
        start = await driver.client.get("/slack/install", allow_redirects=False)
        install = await start.text()
        state = SimpleCookie(start.headers["Set-Cookie"])["slack-app-oauth-state"].value
        cookie = {"Cookie": f"slack-app-oauth-state={state}"}
        done = await driver.client.get(
            "/slack/oauth_redirect", params={"code": "code-kommun", "state": state}, headers=cookie
        )
        failed = await driver.client.get(
            "/slack/oauth_redirect", params={"code": "x", "state": "y"}
        )
        pages = {"install": install, "done": await done.text(), "failed": await failed.text()}
    assert start.status == 200 and done.status == 200 and failed.status >= 400
    assert '<html lang="sv">' in pages["install"] and "Lägg till i Slack" in pages["install"]
    assert "Samverkansboten är tillagd" in pages["done"]
    assert "Det gick inte att lägga till Samverkansboten" in pages["failed"]
    for html in pages.values():
        axe_page.assert_accessible(html)
