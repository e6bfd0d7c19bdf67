"""Fixtures for Slack tests: the fake Slack, signed requests in Slack's own formats, a driver."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SlackAdapter
from adapters.slack.settings import SlackSettings
from app.server import build_app
from bot.core.engine import Bot
from tests.a11y.collect import record_slack
from tests.slack.fake_slack import TEAM, FakeSlack

# Slack's request bodies in their real formats (see tests/fixtures/README.md).
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
# The signing secret of the sample requests (see fixtures/slack/headers.txt).
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ANNA = "U0456GHIJKL"  # the samples' user; linked by e-mail to Anna Lindqvist (admin)
ERIK = "U0ENGLISH01"  # Erik Holm, English Slack locale
NOBODY = "U0NOBODY001"  # a Slack user whose e-mail matches no Person
CHANNEL = "C0123ABCDEF"

USERS: dict[str, dict[str, Any]] = {
    ANNA: {
        "id": ANNA,
        "team_id": TEAM,
        "name": "anna.svensson",
        "locale": "sv-SE",
        "profile": {"email": "anna.lindqvist@example.org", "real_name": "Anna Lindqvist"},
    },
    ERIK: {
        "id": ERIK,
        "team_id": TEAM,
        "name": "erik",
        "locale": "en-US",
        "profile": {"email": "erik.holm@example.org", "real_name": "Erik Holm"},
    },
    NOBODY: {
        "id": NOBODY,
        "team_id": TEAM,
        "name": "okand",
        "locale": "sv-SE",
        "profile": {"email": "okand@example.org", "real_name": "Okänd Person"},
    },
}


def sample(name: str) -> Any:
    path = SAMPLES / name
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


def sign(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Slack's v0 signature over `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(users=copy.deepcopy(USERS))
    await fake.start()
    yield fake
    await fake.close()


def slack_settings(fake: FakeSlack, **extra: str) -> SlackSettings:
    values = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": fake.api_url,
        **extra,
    }
    return SlackSettings(**values)  # type: ignore[arg-type]


class SlackDriver:
    """Sends correctly signed requests in Slack's formats to the real server and Bolt app."""

    def __init__(self, adapter: SlackAdapter, client: TestClient, fake: FakeSlack) -> None:
        self.adapter = adapter
        self.client = client
        self.fake = fake
        self._trigger = 0
        self.acknowledged: list[dict[str, Any]] = []  # bodies of slash command acks

    def trigger_id(self) -> str:
        self._trigger += 1
        return f"77123{self._trigger:08d}.1234567890123.5b3e9f1c2d4a6b8c0e2f4a6b8c0d2e4f"

    async def post(
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
        return await self.client.post("/slack/events", data=body, headers=all_headers)

    @staticmethod
    async def _record(response: ClientResponse) -> None:
        """The endpoint's JSON answer, for the accessibility checks (tests/a11y); read only once
        the request is settled, so no test waits on an answer body it did not ask for."""
        if response.content_type == "application/json":
            answer = await response.json()  # kept by aiohttp: the caller can read it again
            if isinstance(answer, dict):
                record_slack(answer, "HTTP response")

    async def command(
        self, text: str, user: str = ANNA, channel: str = CHANNEL, team: str = TEAM
    ) -> ClientResponse:
        fields = dict(sample("slash_command.fields.json"))
        fields.update(
            text=text,
            user_id=user,
            channel_id=channel,
            team_id=team,
            response_url=self.fake.response_url(),
            trigger_id=self.trigger_id(),
        )
        form = urlencode(fields).encode()
        response = await self.post(form, "application/x-www-form-urlencoded")
        if response.status == 200:
            is_json = response.content_type == "application/json"
            answer = await response.json() if is_json else {}
            if isinstance(answer, dict) and answer:
                record_slack(answer, "HTTP response")  # for the accessibility checks (tests/a11y)
            self.acknowledged.append(answer)
            if answer.get("text") or answer.get("blocks"):
                # Slack shows an acknowledgement's body as the command's answer, exactly like a
                # post to response_url: the tests read both from one list.
                name = str(fields["response_url"]).rsplit("/", 1)[-1]
                self.fake.responses.append({**answer, "_url": name})
        await self.adapter.settle()
        return response

    async def event(
        self, event: dict[str, Any], event_id: str, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        body = dict(sample("event_callback_app_mention.json"))
        body.update(event=event, event_id=event_id)
        raw = json.dumps(body).encode()
        response = await self.post(raw, "application/json", headers)
        await self.adapter.settle()
        await self._record(response)
        return response

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        raw = urlencode({"payload": json.dumps(payload)}).encode()
        response = await self.post(raw, "application/x-www-form-urlencoded")
        await self.adapter.settle()
        await self._record(response)
        return response


@asynccontextmanager
async def slack_driver(
    bot: Bot, fake: FakeSlack, settings: SlackSettings | None = None
) -> AsyncIterator[SlackDriver]:
    adapter = SlackAdapter(bot, settings or slack_settings(fake), post_interval=0.0)
    client = TestClient(TestServer(build_app(bot, [adapter]), host="127.0.0.1"))
    await client.start_server()
    try:
        yield SlackDriver(adapter, client, fake)
    finally:
        await client.close()


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    async with slack_driver(bot, fake_slack) as driver:
        yield driver
