"""Local mode (no app id, no token checks) answers this machine only, and is never "ready"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from adapters.teams import TeamsAdapter
from app.server import build_app
from bot.core.engine import Bot
from storage.models import ProcessedEvent
from tests.teams.conftest import TENANT, Teams, start_teams, teams_settings
from tests.teams.fakes import FakeConnector


async def _nothing_happened(teams: Teams) -> None:
    assert teams.connector.calls == []
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


async def test_a_service_url_elsewhere_is_refused_with_no_effect(teams: Teams) -> None:
    activity = teams.message("hälsa", serviceUrl="https://attacker.example.net/teams/")
    status, _ = await teams.post(activity)
    assert status == 403
    await _nothing_happened(teams)

    answered, _ = await teams.post(teams.message("hälsa"))  # the loopback connector: answered
    assert answered in (200, 201)
    assert teams.connector.calls


async def test_a_client_elsewhere_is_refused_with_no_effect(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    adapter = TeamsAdapter(teams_bot, teams_settings(TEAMS_LOCAL_MODE=True))

    @web.middleware
    async def from_elsewhere(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        return await handler(request.clone(remote="203.0.113.7"))  # as if across the network

    app = build_app(teams_bot, [adapter])
    app.middlewares.append(from_elsewhere)
    async with TestClient(TestServer(app)) as client:
        harness = Teams(teams_bot, adapter, client, connector)
        response = await client.post("/api/messages", json=harness.message("hälsa"))
        assert response.status == 403
        await _nothing_happened(harness)


async def test_readyz_says_local_mode_is_not_ready_for_production(teams: Teams) -> None:
    response = await teams.client.get("/readyz")
    assert response.status == 503
    body: dict[str, Any] = await response.json()
    assert body["checks"]["teams"] is False


async def test_an_app_id_beside_local_mode_wins_and_tokens_are_checked(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    settings = teams_settings(
        TEAMS_LOCAL_MODE=True,
        MICROSOFT_APP_ID="0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        MICROSOFT_APP_TENANT_ID=TENANT,
    )
    assert not settings.local_mode
    harness = await start_teams(teams_bot, connector, settings)
    try:
        status, _ = await harness.post(harness.message("hälsa"))  # no token
        assert status == 401
        await _nothing_happened(harness)
    finally:
        await harness.client.close()
