"""Outbound calls go over one pooled aiohttp session with a cached token (issue 8).

Everything runs through the real CloudAdapter and our messenger against the fake connector on
127.0.0.1, which counts the TCP connections it accepts and plays Entra ID's token endpoint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core import Bot
from bot.reply import Reply
from tests.teams.conftest import CHANNEL, TENANT, Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector
from tests.teams.test_proactive import _stored_channel

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def _reference(service_url: str) -> dict[str, object]:
    return {
        "bot": {"id": f"28:{APP_ID}", "name": "Samverkansboten"},
        "conversation": {"id": CHANNEL, "conversationType": "channel", "tenantId": TENANT},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def signed(teams_bot: Bot, connector: FakeConnector) -> AsyncIterator[Teams]:
    """A bot with an app id: every outbound call carries a token from the fake endpoint."""
    settings = teams_settings(
        MICROSOFT_APP_ID=APP_ID,
        MicrosoftAppPassword="not-a-real-secret",
        MICROSOFT_APP_TYPE="SingleTenant",
        MicrosoftAppTenantId=TENANT,
        TEAMS_TOKEN_URL=connector.url + "token",
    )
    harness = await start_teams(teams_bot, connector, settings)
    yield harness
    await harness.client.close()


async def test_many_replies_share_a_few_connections(teams: Teams) -> None:
    for n in range(30):
        status, _ = await teams.post(teams.message("hälsa", id=f"m{n}"))
        assert status == 201

    replies = teams.connector.of("reply") + teams.connector.of("send")
    assert len(replies) >= 30
    assert 1 <= len(teams.connector.connections) <= 3


async def test_proactive_posts_and_updates_reuse_the_session(teams: Teams) -> None:
    messenger = teams.adapter.messenger
    reference = _reference(teams.connector.url)
    ids = [await messenger.post_to_reference(reference, Reply(text=f"Nr {n}")) for n in range(7)]
    channel = await _stored_channel(teams)
    await messenger.update(channel, "msg-1", Reply(text="Ändrad"))

    assert ids[0] == "msg-1" and len(set(ids)) == 7  # within Teams' 7 a second
    assert len(teams.connector.of("send")) == 7 and len(teams.connector.of("update")) == 1
    assert len(teams.connector.connections) == 1


async def test_the_token_is_fetched_once_and_renewed_after_it_expires(signed: Teams) -> None:
    messenger = signed.adapter.messenger
    tokens = signed.adapter.transport.connectors.tokens
    clock = Clock()
    tokens.now = clock
    reference = _reference(signed.connector.url)

    for n in range(5):
        await messenger.post_to_reference(reference, Reply(text=f"Nr {n}"))

    (asked,) = signed.connector.token_requests
    assert asked["grant_type"] == "client_credentials" and asked["client_id"] == APP_ID
    assert asked["scope"] == "https://api.botframework.com/.default"
    assert {c.authorization for c in signed.connector.of("send")} == {"Bearer token-1"}

    clock.now += 3600 - 60  # inside the renewal margin before the one-hour expiry
    await messenger.post_to_reference(reference, Reply(text="Senare"))

    assert len(signed.connector.token_requests) == 2
    assert signed.connector.of("send")[-1].authorization == "Bearer token-2"


async def test_the_proxy_from_the_environment_is_used(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", teams.connector.url.rstrip("/"))
    reference = _reference("http://smba.teams.invalid/")

    await teams.adapter.messenger.post_to_reference(reference, Reply(text="Via proxy"))

    assert teams.connector.proxied == [
        f"http://smba.teams.invalid/v3/conversations/{CHANNEL}/activities"
    ]
