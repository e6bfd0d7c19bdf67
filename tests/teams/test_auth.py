"""With an app id, only requests carrying a valid Bot Framework token have any effect.

The signing keys come from a local fake of Microsoft's OpenID metadata and JWKS that serves a
key generated here; botbuilder's own token validation runs against it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import func, select

from bot.core.engine import Bot
from storage.models import Identity, Person, ProcessedEvent
from tests.teams.conftest import ADELE_AAD, TENANT, Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector, ThreadedServer, card_texts, openid_app

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
KID = "samverkan-test-key"
ISSUER = "https://api.botframework.com"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()


@pytest.fixture(scope="module")
def openid() -> Iterator[tuple[ThreadedServer, list[str]]]:
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True)
    jwk.update(kid=KID, use="sig", endorsements=["msteams"])
    calls: list[str] = []
    with ThreadedServer(openid_app({"keys": [jwk]}, calls)) as server:
        yield server, calls


@pytest.fixture
async def secured(
    teams_bot: Bot, connector: FakeConnector, openid: tuple[ThreadedServer, list[str]]
) -> AsyncIterator[Teams]:
    server, _ = openid
    settings = teams_settings(
        MICROSOFT_APP_ID=APP_ID,
        MicrosoftAppPassword="not-a-real-secret",
        MICROSOFT_APP_TYPE="SingleTenant",
        MicrosoftAppTenantId=TENANT,
        TEAMS_OPENID_METADATA_URL=server.url + "/v1/.well-known/openidconfiguration",
    )
    harness = await start_teams(teams_bot, connector, settings)
    yield harness
    await harness.client.close()


def token(
    service_url: str,
    *,
    key: rsa.RSAPrivateKey = SIGNING_KEY,
    expires_in: int = 3600,
    audience: str = APP_ID,
    kid: str = KID,
) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": audience,
        "serviceurl": service_url,
        "nbf": now - 60 if expires_in > 0 else now - 7200,
        "exp": now + expires_in,
    }
    return "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


async def _link_adele(teams: Teams) -> None:
    """Adele is known already, so answering her needs no call to Teams."""
    async with teams.bot.database.transaction() as session:
        erik = await session.scalar(select(Person).where(Person.name == "Erik Holm"))
        assert erik is not None
        session.add(
            Identity(person_id=erik.id, platform="teams", workspace=TENANT, user_id=ADELE_AAD)
        )


def _invoke(teams: Teams) -> dict[str, Any]:
    activity = teams.activity("action_execute_invoke", locale="sv-SE")
    activity.pop("replyToId")
    activity["value"]["action"].update(verb="test.count", data={"count": 41})
    return activity


async def _no_effect(teams: Teams) -> None:
    assert teams.connector.calls == []
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


async def test_a_valid_token_signed_by_the_published_key_is_answered(
    secured: Teams, openid: tuple[ThreadedServer, list[str]]
) -> None:
    await _link_adele(secured)

    status, body = await secured.post(_invoke(secured), Authorization=token(secured.connector.url))

    assert status == 200
    assert "Räknare: 42" in "\n".join(card_texts(body["value"]))
    assert {"metadata", "keys"} <= set(openid[1])  # the key really came from the metadata
    async with secured.bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


async def test_no_token_is_refused(secured: Teams) -> None:
    status, _ = await secured.post(secured.message("hälsa"))

    assert status == 401
    await _no_effect(secured)


async def test_a_forged_token_is_refused(secured: Teams) -> None:
    forged = token(secured.connector.url, key=_key())

    status, _ = await secured.post(secured.message("hälsa"), Authorization=forged)

    assert status == 401
    await _no_effect(secured)


async def test_an_expired_token_is_refused(secured: Teams) -> None:
    expired = token(secured.connector.url, expires_in=-3600)

    status, _ = await secured.post(secured.message("hälsa"), Authorization=expired)

    assert status == 401
    await _no_effect(secured)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ],
)
async def test_malformed_authorization_is_refused(secured: Teams, header: str) -> None:
    status, _ = await secured.post(secured.message("hälsa"), Authorization=header)

    assert status == 401
    await _no_effect(secured)


async def test_tokens_for_another_bot_or_an_unknown_key_are_refused(secured: Teams) -> None:
    url = secured.connector.url
    for bad in (token(url, audience="another-bot"), token(url, kid="unknown-key")):
        status, _ = await secured.post(secured.message("hälsa"), Authorization=bad)
        assert status == 401
    await _no_effect(secured)


async def test_a_token_for_another_service_url_is_refused(secured: Teams) -> None:
    stolen = token("https://smba.trafficmanager.net/emea/")

    status, _ = await secured.post(secured.message("hälsa"), Authorization=stolen)

    assert status == 401
    await _no_effect(secured)
