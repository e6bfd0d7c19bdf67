"""The shared web server: health, readiness and Prometheus metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.web import READINESS_KEY
from app.server import build_app
from bot.common.config import Settings
from bot.core.engine import Bot
from storage.db import Database
from tests.conftest import Chat


@pytest.fixture
async def client(bot: Bot) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(build_app(bot))) as test_client:
        yield test_client


async def test_healthz(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_readyz_when_the_database_answers(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready", "checks": {"database": True}}


async def test_readyz_reports_an_unreachable_database(settings: Settings) -> None:
    bot = Bot(Database("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"), settings)
    async with TestClient(TestServer(build_app(bot))) as client:
        response = await client.get("/readyz")
        assert response.status == 503
        assert (await response.json())["checks"] == {"database": False}
    await bot.database.dispose()


async def test_an_adapter_check_counts_for_readiness(bot: Bot) -> None:
    app = build_app(bot)

    async def socket_down() -> tuple[str, bool]:
        return "slack_socket_mode", False

    app[READINESS_KEY].append(socket_down)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/readyz")
        assert response.status == 503
        assert (await response.json())["checks"] == {"database": True, "slack_socket_mode": False}


async def test_metrics_count_requests_by_route_and_commands(client: TestClient, chat: Chat) -> None:  # type: ignore[type-arg]
    await client.get("/healthz")
    await client.get("/no/such/path")
    await chat.ask("Sara Nilsson", "hjälp")
    body = await (await client.get("/metrics")).text()
    assert 'samverkan_http_requests_total{outcome="2xx",route="/healthz"} 1.0' in body
    assert 'samverkan_http_requests_total{outcome="4xx",route="unmatched"} 1.0' in body
    assert "samverkan_http_request_seconds_bucket" in body
    assert 'samverkan_commands_total{command="help",outcome="ok"} 1.0' in body
