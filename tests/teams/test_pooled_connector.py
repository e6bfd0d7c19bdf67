"""Outbound calls go over one pooled aiohttp session with a cached token (issue 8).

Everything runs through the real CloudAdapter and our messenger against the fake connector on
127.0.0.1, which counts the TCP connections it accepts and plays Entra ID's token endpoint.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import aiohttp.client
import pytest
from yarl import URL

from adapters.teams import connector as connector_module
from bot.core.engine import Bot
from bot.core.reply import Reply
from tests.teams.conftest import CHANNEL, TENANT, Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector
from tests.teams.test_proactive import _stored_channel

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def _reference(service_url: str) -> dict[str, Any]:
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


def _personal_messages(teams: Teams, count: int, first: int = 0) -> list[dict[str, object]]:
    """Messages from one person in chats of their own (Teams' per-chat limit stays out)."""
    messages = []
    for n in range(first, first + count):
        activity = teams.message("hälsa", name="personal_message", id=f"p{n}")
        activity["conversation"] = {**activity["conversation"], "id": f"a:chat-{n}"}
        messages.append(activity)
    return messages


async def test_concurrent_replies_wait_for_the_busy_connection_instead_of_opening_more(
    teams: Teams,
) -> None:
    await teams.post(_personal_messages(teams, 1)[0])  # linked; the pool has its connection
    teams.connector.delay = 0.02  # replies overlap: each holds its connection a while

    answers = await asyncio.gather(*(teams.post(m) for m in _personal_messages(teams, 12, first=1)))

    assert [status for status, _ in answers] == [201] * 12
    assert len(teams.connector.of("reply")) == 13
    assert len(teams.connector.connections) == 1


async def test_a_slow_connector_gets_more_connections_up_to_the_bound(teams: Teams) -> None:
    pool = teams.adapter.transport.connectors
    pool.patience = 0.01
    teams.connector.delay = 0.2  # a connector far away: waiting for it is not worth it
    await teams.post(_personal_messages(teams, 1)[0])

    await asyncio.gather(*(teams.post(m) for m in _personal_messages(teams, 12, first=1)))

    assert 1 < len(teams.connector.connections) <= pool.per_service


async def test_the_environment_is_read_once_per_origin_not_per_call(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours: list[str] = []
    per_request: list[str] = []
    resolve = connector_module.get_env_proxy_for_url

    def counted(url: URL) -> tuple[URL, aiohttp.BasicAuth | None]:
        ours.append(str(url))
        return resolve(url)

    def aiohttp_lookup(*args: object) -> None:
        per_request.append(str(args))
        raise LookupError

    monkeypatch.setattr(connector_module, "get_env_proxy_for_url", counted)
    monkeypatch.setattr(aiohttp.client, "get_env_proxy_for_url", aiohttp_lookup)
    monkeypatch.setattr(aiohttp.ClientSession, "_get_netrc_auth", aiohttp_lookup)

    for message in _personal_messages(teams, 5, first=1):
        status, _ = await teams.post(message)
        assert status == 201

    assert len(teams.connector.of("reply")) == 5
    assert len(ours) == 1  # one origin: the fake connector
    assert per_request == []  # aiohttp did not read proxy settings or .netrc per call


async def test_concurrent_first_calls_fetch_one_token(signed: Teams) -> None:
    messenger = signed.adapter.messenger
    references = [_reference(signed.connector.url) for _ in range(5)]
    for n, reference in enumerate(references):
        reference["conversation"] = {**reference["conversation"], "id": f"19:c{n}@thread.tacv2"}

    await asyncio.gather(
        *(messenger.post_to_reference(ref, Reply(text="Hej")) for ref in references)
    )

    assert len(signed.connector.token_requests) == 1
    assert {c.authorization for c in signed.connector.of("send")} == {"Bearer token-1"}
