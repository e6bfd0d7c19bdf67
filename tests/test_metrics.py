"""What /metrics shows (process, jobs, platform errors) and who may read it (issue 14)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.console import ConsoleMessenger
from app.server import build_app, build_metrics_app
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.settings import SchedulerSettings
from storage.db import Database
from storage.models import Channel
from tests.scheduler.helpers import add_channel, job_kinds


async def _put(bot: Bot, channel: int, text: str) -> None:
    async with bot.database.transaction() as session:
        await schedule(
            session, "say", bot.clock.now(), {"text": text}, (Target.CHANNEL, channel), text,
            bot.clock.now(),
        )  # fmt: skip


@dataclass
class Answer:
    status_code: int


class ServerError(Exception):
    """Like a platform client's error: the HTTP answer rides on `response`."""

    def __init__(self, status: int) -> None:
        super().__init__(f"platform answered {status}")
        self.response = Answer(status)


class BrokenMessenger(ConsoleMessenger):
    async def post(self, channel: Channel, reply: Reply) -> str | None:
        raise ServerError(503)


@pytest.fixture
async def client(bot: Bot) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(build_app(bot))) as test_client:
        yield test_client


async def test_process_metrics_are_exported(client: TestClient) -> None:  # type: ignore[type-arg]
    body = await (await client.get("/metrics")).text()
    assert "process_resident_memory_bytes " in body
    assert "process_open_fds " in body
    assert "python_info{" in body


async def test_jobs_sent_failed_parked_late_and_due_are_counted(
    bot: Bot,
    clock: FixedClock,
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    channel = await add_channel(bot.database, "general")
    await _put(bot, channel, "one")
    await _put(bot, channel, "two")
    before = await (await client.get("/metrics")).text()
    assert 'samverkan_jobs_due{kind="say",target="channel"} 2.0' in before

    settings = SchedulerSettings(rates={}, max_attempts=1, late_after_seconds=0)  # type: ignore[call-arg]
    clock.advance(timedelta(minutes=5))  # both are now late
    await Dispatcher(bot, settings, kinds=job_kinds()).run_once()
    await _put(bot, channel, "three")
    bot.messengers["console"] = BrokenMessenger()
    await Dispatcher(bot, settings, kinds=job_kinds()).run_once()

    body = await (await client.get("/metrics")).text()
    assert 'samverkan_jobs_sent_total{kind="say",platform="console"} 2.0' in body
    assert 'samverkan_jobs_late_total{kind="say",platform="console"} 2.0' in body
    assert 'samverkan_jobs_failed_total{kind="say",platform="console"} 1.0' in body
    assert 'samverkan_jobs_parked_total{kind="say",platform="console"} 1.0' in body
    assert 'samverkan_platform_api_errors_total{platform="console",status="503"} 1.0' in body
    assert 'samverkan_job_send_seconds_count{platform="console"} 2.0' in body
    assert 'samverkan_jobs_parked_now{kind="say",target="channel"} 1.0' in body
    assert 'samverkan_jobs_due{kind="say",target="channel"}' not in body  # none left due


@pytest.fixture
def guarded(seeded: Database, clock: FixedClock) -> Bot:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL="sqlite+aiosqlite://", SAMVERKAN_METRICS_TOKEN="s3cret-metrics-token"
    )
    return Bot(seeded, settings, clock)


async def test_a_metrics_token_is_required_when_set(guarded: Bot) -> None:
    async with TestClient(TestServer(build_app(guarded))) as client:
        assert (await client.get("/metrics")).status == 401
        wrong = {"Authorization": "Bearer s3cret-metrics-tokeN"}
        assert (await client.get("/metrics", headers=wrong)).status == 401
        right = {"Authorization": "Bearer s3cret-metrics-token"}
        answered = await client.get("/metrics", headers=right)
        assert answered.status == 200
        assert "samverkan_http_requests_total" in await answered.text()


async def test_metrics_can_move_to_their_own_port(seeded: Database, clock: FixedClock) -> None:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL="sqlite+aiosqlite://", SAMVERKAN_METRICS_PORT="9464"
    )
    bot = Bot(seeded, settings, clock)
    async with TestClient(TestServer(build_app(bot))) as webhooks:
        assert (await webhooks.get("/metrics")).status == 404
        assert (await webhooks.get("/healthz")).status == 200
    async with TestClient(TestServer(build_metrics_app(bot))) as internal:
        answered = await internal.get("/metrics")
        assert answered.status == 200
        assert "process_cpu_seconds_total" in await answered.text()
