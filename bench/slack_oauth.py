"""The bot with several Slack workspaces (OAuth), for the speed benchmark (issue 19).

The bot runs in OAuth mode (client id and secret, no bot token) and two workspaces, the
municipality's and the police's, install it through the real OAuth redirect before the run:
the bot trades each code for a token at the fake Slack's `oauth.v2.access`, as it would at
Slack's. The load then alternates between the two teams, each with a user of its own, so every
other request needs the other workspace's installation. What is measured is what several
workspaces cost over one bot token: the installation look-up and the authorization per request.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import aiohttp

CLIENT_ID = "1111111111.2222222222222"
CLIENT_SECRET = "bench-client-secret-0123456789ab"
BOT_USER = "U0BOT"


@dataclass(frozen=True)
class Workspace:
    team_id: str
    user_id: str  # the one member who writes to the bot in the run
    email: str  # a demo person of the bundled agreement, so the user is linked on first use
    bot_token: str

    @property
    def code(self) -> str:
        """The OAuth code Slack would hand the installer's browser for this workspace."""
        return "code-" + self.team_id


def workspaces(municipality_team: str, municipality_user: str, email: str) -> list[Workspace]:
    """The municipality's workspace (the single-token row's team and user) and the police's."""
    return [
        Workspace(municipality_team, municipality_user, email, "xoxb-bench-kommun"),
        Workspace("T0BENCHPOLIS", "U0BENCHPOLIS", "erik.holm@example.org", "xoxb-bench-polis"),
    ]


def oauth_env(base: dict[str, str], installed: list[Workspace]) -> dict[str, str]:
    """The bot's environment in OAuth mode: no bot token, the installed teams allow-listed."""
    env = {key: value for key, value in base.items() if key != "SLACK_BOT_TOKEN"}
    env.update(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_ALLOWED_TEAMS=",".join(w.team_id for w in installed),
    )
    return env


def alternating(installed: list[Workspace]) -> Iterator[Workspace]:
    """Request after request, the next workspace in turn."""
    return itertools.cycle(installed)


class FakeWorkspaces:
    """The parts of Slack's Web API that differ per workspace, for the benchmark's fake Slack."""

    def __init__(self, installed: list[Workspace]) -> None:
        self.installed = installed
        self.auth_tests = 0  # with an installed token: uncached, Bolt's authorization makes one
        self.exchanged = 0  # OAuth codes traded for tokens

    def answer(self, method: str, args: dict[str, str], token: str | None) -> dict[str, Any]:
        """Slack's answer to `method`, or {} when the benchmark's default answer will do."""
        if method == "oauth.v2.access":
            return self._exchange(args.get("code", ""))
        if method == "auth.test":
            found = next((w for w in self.installed if w.bot_token == token), None)
            if found is None:
                return {}
            self.auth_tests += 1
            return {"ok": True, "team_id": found.team_id, "user_id": BOT_USER, "bot_id": "B0BOT"}
        if method == "users.info":
            user = next((w for w in self.installed if w.user_id == args.get("user")), None)
            if user is None:
                return {}
            return {"ok": True, "user": self._user(user)}
        return {}

    def _exchange(self, code: str) -> dict[str, Any]:
        found = next((w for w in self.installed if w.code == code), None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        self.exchanged += 1
        return {
            "ok": True,
            "app_id": "A0BENCH",
            "authed_user": {"id": found.user_id},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": found.bot_token,
            "bot_user_id": BOT_USER,
            "team": {"id": found.team_id, "name": found.team_id},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    @staticmethod
    def _user(workspace: Workspace) -> dict[str, Any]:
        return {
            "id": workspace.user_id,
            "team_id": workspace.team_id,
            "name": workspace.user_id.lower(),
            "locale": "sv-SE",
            "profile": {"email": workspace.email, "real_name": workspace.email.split("@")[0]},
        }


async def install(server_url: str, installed: list[Workspace]) -> None:
    """Install the app in every workspace through the bot's own OAuth pages, as an admin would."""
    async with aiohttp.ClientSession() as session:
        for workspace in installed:
            async with session.get(server_url + "/slack/install", allow_redirects=False) as start:
                cookie = SimpleCookie(start.headers["Set-Cookie"])
            state = cookie["slack-app-oauth-state"].value
            async with session.get(
                server_url + "/slack/oauth_redirect",
                params={"code": workspace.code, "state": state},
                headers={"Cookie": f"slack-app-oauth-state={state}"},
                allow_redirects=False,
            ) as done:
                if done.status != 200:
                    text = await done.text()
                    raise RuntimeError(f"installing {workspace.team_id}: {done.status} {text}")
