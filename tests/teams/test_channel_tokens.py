"""Channel tokens checked against Bot Framework's published keys, kept as long as allowed.

The keys, the metadata naming them and the bot's own token endpoint are the fake in
bench/bot_framework_keys.py on 127.0.0.1 (the benchmark runs against the same one); the bot
runs for real. What is counted: requests at the fake and signature checks in the bot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import jwt
import pytest
from sqlalchemy import func, select

from adapters.teams.channel_tokens import ChannelTokens, SigningKeys, TokenRefused
from bench.bot_framework_keys import BotFrameworkKeys, new_key
from bot.core.engine import Bot
from storage.models import ProcessedEvent
from tests.teams.conftest import TENANT, Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


class Clock:
    """Monotonic time the test moves by hand (for the refetch floor)."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
async def keys() -> AsyncIterator[BotFrameworkKeys]:
    fake = BotFrameworkKeys(APP_ID)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def secured(
    teams_bot: Bot, connector: FakeConnector, keys: BotFrameworkKeys
) -> AsyncIterator[Teams]:
    settings = teams_settings(
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        MICROSOFT_APP_TYPE="SingleTenant",
        MICROSOFT_APP_TENANT_ID=TENANT,
        TEAMS_OPENID_METADATA_URL=keys.metadata_url,
        TEAMS_TOKEN_URL=keys.token_url,
    )
    harness = await start_teams(teams_bot, connector, settings)
    yield harness
    await harness.client.close()


def tokens_of(teams: Teams) -> ChannelTokens:
    found = teams.adapter.transport.authentication.tokens
    assert found is not None
    return found


async def processed(teams: Teams) -> int:
    async with teams.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


async def keys_fetched_once(
    secured: Teams, keys: BotFrameworkKeys
) -> tuple[SigningKeys, Clock, str]:
    """The keys on a clock the test moves, after one good request has fetched them."""
    signing = tokens_of(secured).keys
    clock = Clock()
    signing.now = clock
    url = secured.connector.url
    first = await secured.post(
        secured.message("hälsa", id="a"), Authorization=keys.channel_header(url)
    )
    assert first[0] == 201
    return signing, clock, url


async def test_many_requests_fetch_the_keys_once_and_check_one_token_once(
    secured: Teams, keys: BotFrameworkKeys
) -> None:
    header = keys.channel_header(secured.connector.url)

    for number in range(5):
        status, _ = await secured.post(
            secured.message("hälsa", id=f"msg-{number}"), Authorization=header
        )
        assert status in (200, 201)

    assert (keys.requests["metadata"], keys.requests["keys"]) == (1, 1)
    assert tokens_of(secured).signature_checks == 1
    assert await processed(secured) == 5
    assert len(secured.connector.calls) >= 5  # each message was answered, with a bot token
    assert keys.requests["bot token"] == 1


async def test_a_new_token_is_always_checked_in_full(
    secured: Teams, keys: BotFrameworkKeys
) -> None:
    url = secured.connector.url
    first = "Bearer " + keys.token(url)
    forged = "Bearer " + keys.token(url, key=new_key())  # same kid, claims, other key

    assert (await secured.post(secured.message("hälsa", id="a"), Authorization=first))[0] == 201
    assert (await secured.post(secured.message("hälsa", id="b"), Authorization=forged))[0] == 401
    assert tokens_of(secured).signature_checks == 2
    assert await processed(secured) == 1


@pytest.mark.parametrize(
    "variant",
    [
        {"key": "forged"},
        {"audience": "another-bot"},
        {"lifetime": -3600},
        {"kid": "unknown-key"},
        {"issuer": "https://sts.windows.net/evil/"},
    ],
)
async def test_bad_tokens_are_refused_with_no_effect(
    secured: Teams, keys: BotFrameworkKeys, variant: dict[str, object]
) -> None:
    changes = dict(variant)
    if changes.get("key") == "forged":
        changes["key"] = new_key()
    bad = "Bearer " + keys.token(secured.connector.url, **changes)  # type: ignore[arg-type]

    status, _ = await secured.post(secured.message("hälsa"), Authorization=bad)

    assert status == 401
    assert secured.connector.calls == []
    assert await processed(secured) == 0


async def test_a_remembered_token_still_answers_only_its_own_service_url(
    secured: Teams, keys: BotFrameworkKeys
) -> None:
    header = keys.channel_header(secured.connector.url)
    assert (await secured.post(secured.message("hälsa", id="a"), Authorization=header))[0] == 201

    elsewhere = secured.message("hälsa", id="b", serviceUrl="https://smba.example.org/emea/")
    status, _ = await secured.post(elsewhere, Authorization=header)

    assert status == 401
    assert await processed(secured) == 1


async def test_an_unknown_kid_refetches_the_keys_but_no_more_than_the_floor_allows(
    secured: Teams, keys: BotFrameworkKeys
) -> None:
    signing, clock, url = await keys_fetched_once(secured, keys)

    clock.value += signing.refetch_floor  # long enough since the last fetch: one refetch
    for number in range(3):  # the next unknown kids, within the floor: none
        unknown = "Bearer " + keys.token(url, kid="unknown-key")
        status, _ = await secured.post(
            secured.message("hälsa", id=f"u{number}"), Authorization=unknown
        )
        assert status == 401

    assert keys.requests["keys"] == 2
    assert await processed(secured) == 1


async def test_a_rotated_key_is_picked_up(secured: Teams, keys: BotFrameworkKeys) -> None:
    signing, clock, url = await keys_fetched_once(secured, keys)

    keys.rotate(keep_old=False)  # Microsoft publishes a new key and drops the old one
    clock.value += signing.refetch_floor
    rotated = keys.channel_header(url)
    status, _ = await secured.post(secured.message("hälsa", id="b"), Authorization=rotated)

    assert status == 201
    assert keys.requests["keys"] == 2
    assert await processed(secured) == 2


async def test_a_remembered_token_is_checked_again_once_it_expires(
    keys: BotFrameworkKeys,
) -> None:
    async with aiohttp.ClientSession() as session:
        now = [0.0]
        signing = SigningKeys(keys.metadata_url, lambda: session)
        tokens = ChannelTokens(APP_ID, signing, clock=lambda: now[0])
        token = keys.token("https://smba.example.org/", lifetime=600)
        header = "Bearer " + token
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]

        now[0] = expires - 100
        await tokens.check(header, "msteams", "https://smba.example.org/")
        await tokens.check(header, "msteams", "https://smba.example.org/")
        assert tokens.signature_checks == 1

        now[0] = expires + 1  # forgotten at exp: the next use is checked in full again
        await tokens.check(header, "msteams", "https://smba.example.org/")
        assert tokens.signature_checks == 2

        with pytest.raises(TokenRefused):  # the key is not endorsed for Slack
            await tokens.check(header, "slack", "https://smba.example.org/")


async def test_requests_that_arrive_while_the_keys_are_fetched_wait_for_them(
    secured: Teams, keys: BotFrameworkKeys
) -> None:
    header = keys.channel_header(secured.connector.url)
    activities = [secured.message("hälsa", id=f"c{number}") for number in range(6)]

    results = await asyncio.gather(*(secured.post(a, Authorization=header) for a in activities))

    assert [status for status, _ in results] == [201] * 6  # none refused for want of keys
    assert (keys.requests["metadata"], keys.requests["keys"]) == (1, 1)
