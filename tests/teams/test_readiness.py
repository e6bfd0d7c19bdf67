"""/readyz asks for real whether Teams can work: a token can be had and the keys loaded."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.teams import TeamsAdapter
from bot.core.engine import Bot
from tests.teams.conftest import TENANT, start_teams, teams_settings
from tests.teams.fakes import FakeConnector, openid_app

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


async def _openid(keys: list[dict[str, Any]]) -> tuple[TestServer, list[str]]:
    calls: list[str] = []
    server = TestServer(openid_app({"keys": keys}, calls), host="127.0.0.1")
    await server.start_server()
    return server, calls


def _signed(connector: FakeConnector, openid: TestServer, **extra: str) -> Any:
    return teams_settings(
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        MICROSOFT_APP_TENANT_ID=TENANT,
        TEAMS_TOKEN_URL=connector.url + "token",
        TEAMS_OPENID_METADATA_URL=str(openid.make_url("/v1/.well-known/openidconfiguration")),
        **extra,
    )


async def _readyz(adapter: TeamsAdapter, harness: Any) -> tuple[int, dict[str, bool]]:
    response = await harness.client.get("/readyz")
    return response.status, (await response.json())["checks"]


async def test_ready_when_a_token_comes_and_the_keys_load(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    openid, calls = await _openid([{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}])
    harness = await start_teams(teams_bot, connector, _signed(connector, openid))
    try:
        status, checks = await _readyz(harness.adapter, harness)
        assert (status, checks) == (200, {"database": True, "teams": True})
        assert len(connector.token_requests) == 1 and calls == ["metadata", "keys"]
    finally:
        await harness.client.close()
        await openid.close()


async def test_not_ready_without_signing_keys(teams_bot: Bot, connector: FakeConnector) -> None:
    openid, _ = await _openid([])
    harness = await start_teams(teams_bot, connector, _signed(connector, openid))
    try:
        status, checks = await _readyz(harness.adapter, harness)
        assert (status, checks["teams"]) == (503, False)
    finally:
        await harness.client.close()
        await openid.close()


async def test_not_ready_when_no_token_can_be_had(teams_bot: Bot, connector: FakeConnector) -> None:
    openid, _ = await _openid([{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}])
    refusing = web.Application()

    async def refuse(_request: web.Request) -> web.Response:
        return web.json_response({"error": "invalid_client"}, status=401)

    refusing.router.add_post("/token", refuse)
    entra = TestServer(refusing, host="127.0.0.1")
    await entra.start_server()
    settings = _signed(connector, openid)
    settings.token_url = str(entra.make_url("/token"))
    harness = await start_teams(teams_bot, connector, settings)
    try:
        status, checks = await _readyz(harness.adapter, harness)
        assert (status, checks["teams"]) == (503, False)
    finally:
        await harness.client.close()
        await openid.close()
        await entra.close()
