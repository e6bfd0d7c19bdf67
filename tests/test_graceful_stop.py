"""SIGTERM stops `samverkan serve` without losing or repeating anything (issue 14).

The real server runs in its own process on SQLite and PostgreSQL; the remote ends (the Bot
Framework connector, Slack's Web API) are fakes on 127.0.0.1 that count what reaches them.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import threading
import urllib.request
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli.main import main
from bot.scheduler.jobs import Status, Target, schedule
from storage.db import Database
from storage.models import Channel, Job
from tests.served import SAMVERKAN, Served, ThreadedFake, environment

TENANT = "tenant-graceful-stop"
MARKER = re.compile(r"marker-(\d+)")


def _upgraded(url: str) -> str:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return url


class HeldConnector:
    """The Bot Framework connector; it holds the bot's reply until the test lets it go."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.replies: list[dict[str, Any]] = []
        self.release: asyncio.Event | None = None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._reply)

    async def _member(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.match_info["member"], "name": "Sara"})

    async def _reply(self, request: web.Request) -> web.Response:
        self.release = self.release or asyncio.Event()
        self.arrived.set()
        await self.release.wait()
        self.replies.append(await request.json())
        return web.json_response({"id": f"reply-{len(self.replies)}"})


def _message(service_url: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1700000000001",
        "timestamp": "2026-12-03T08:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:sara", "name": "Sara Nilsson", "aadObjectId": "aad-sara"},
        "conversation": {"id": "a:1sara", "conversationType": "personal", "tenantId": TENANT},
        "recipient": {"id": "28:samverkan", "name": "Samverkansboten"},
        "text": "hjälp",
        "locale": "sv-SE",
        "channelData": {"tenant": {"id": TENANT}},
    }


def _post(url: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return int(response.status)


def _refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(5)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_request_in_flight_at_sigterm_gets_its_whole_answer(
    tmp_path: Path, cli_database_url: str
) -> None:
    connector = HeldConnector()
    with ThreadedFake(connector.routes) as fake, ThreadPoolExecutor(1) as pool:
        served = Served(tmp_path, DATABASE_URL=_upgraded(cli_database_url), TEAMS_LOCAL_MODE="true")
        try:
            answered: Future[int] = pool.submit(
                _post, served.url + "/api/messages", _message(fake.url)
            )
            assert connector.arrived.wait(90), served.errors  # the turn is sending its answer
            served.process.send_signal(15)  # SIGTERM
            served.wait_for_line("stannar")
            # New connections are refused while the turn in flight goes on.
            for _ in range(200):
                if _refuses_connections(served.port):
                    break
                threading.Event().wait(0.05)
            assert _refuses_connections(served.port)
            assert not answered.done()
            fake.call(lambda: connector.release and connector.release.set())

            assert answered.result(90) == 201
            assert served.process.wait(90) == 0
        finally:
            served.kill()
    [reply] = connector.replies
    assert "Samverkansboten" in json.dumps(reply, ensure_ascii=False)
    served.wait_for_line("Stopped.")


class CountingSlack:
    """Slack's Web API: counts each marker posted, a little slowly, so stops land mid-send."""

    def __init__(self) -> None:
        self.posted: list[str] = []
        self.lock = threading.Lock()

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/chat.postMessage", self._post)
        app.router.add_post("/api/auth.test", self._auth)

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.text()
        await asyncio.sleep(0.2)
        with self.lock:
            self.posted += MARKER.findall(body)[:1]
        return web.json_response({"ok": True, "channel": "C1", "ts": f"{len(self.posted)}.0"})

    async def _auth(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T1", "user_id": "U1", "bot_id": "B1"})

    def count(self) -> int:
        with self.lock:
            return len(self.posted)


JOBS = 120  # enough that all ten stops land while sends are under way (4 at a time)


async def _schedule_batch(url: str) -> None:
    database = Database(url)
    now = datetime.now(UTC)
    async with database.transaction() as session:
        for number in range(JOBS):
            channel = Channel(platform="slack", workspace="T1", channel_id=f"C{number:03d}")
            session.add(channel)
            await session.flush()
            await schedule(
                session,
                "notice",
                now - timedelta(minutes=1),
                {
                    "key": "jobs.parked",
                    "values": {"job": number, "kind": "x", "error": f"marker-{number}"},
                },
                (Target.CHANNEL, channel.id),
                f"graceful-{number}",
                now,
            )
    await database.dispose()


async def _statuses(url: str) -> dict[str, int]:
    database = Database(url)
    async with database.sessions() as session:
        rows = await session.execute(
            select(Job.status, func.count()).where(Job.kind == "notice").group_by(Job.status)
        )
        found = {str(status): int(count) for status, count in rows.all()}
    await database.dispose()
    return found


def test_ten_stops_during_a_batch_send_nothing_twice_and_lose_nothing(
    tmp_path: Path, cli_database_url: str
) -> None:
    url = _upgraded(cli_database_url)
    asyncio.run(_schedule_batch(url))
    slack = CountingSlack()
    with ThreadedFake(slack.routes) as fake:
        settings = {
            "DATABASE_URL": url,
            "SLACK_SIGNING_SECRET": "graceful-stop-secret",
            "SLACK_BOT_TOKEN": "xoxb-graceful-stop",
            "SLACK_API_URL": fake.url + "/api/",
            "SAMVERKAN_JOBS_RATES": "slack=1000",
            "SAMVERKAN_JOBS_BATCH_SIZE": "4",
            "SAMVERKAN_JOBS_POLL_SECONDS": "0.1",
            # A claim not handed back would hold its job for an hour: the test would not end.
            "SAMVERKAN_JOBS_LEASE_SECONDS": "3600",
        }
        for _cycle in range(10):
            before = slack.count()
            served = Served(tmp_path, **settings)
            try:
                for _ in range(1200):  # until at least one more was sent, then stop mid-batch
                    if slack.count() > before or slack.count() == JOBS:
                        break
                    threading.Event().wait(0.05)
                assert served.stop() == 0, served.errors[-20:]
            finally:
                served.kill()
            statuses = asyncio.run(_statuses(url))
            assert Status.CLAIMED.value not in statuses  # handed back at once, not leased out
        served = Served(tmp_path, **settings)
        try:
            for _ in range(1200):
                if asyncio.run(_statuses(url)).get(Status.DONE.value) == JOBS:
                    break
                threading.Event().wait(0.1)
            assert served.stop() == 0
        finally:
            served.kill()

    counted = Counter(slack.posted)
    assert sorted(counted) == sorted(str(n) for n in range(JOBS))  # nothing lost
    assert [marker for marker, times in counted.items() if times > 1] == []  # nothing twice
    assert asyncio.run(_statuses(url)) == {Status.DONE.value: JOBS}


@pytest.mark.parametrize("grace", ["-1", "soon"])
def test_the_grace_period_must_be_a_number_of_seconds(tmp_path: Path, grace: str) -> None:
    result = subprocess.run(
        [SAMVERKAN, "serve"],
        cwd=tmp_path,
        env=environment(SAMVERKAN_SHUTDOWN_GRACE_SECONDS=grace),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("samverkan: SAMVERKAN_SHUTDOWN_GRACE_SECONDS: ")
