"""Socket Mode: Slack's websocket played by the fake; a slash command arrives through it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SlackAdapter
from app.server import build_app
from bot.core.engine import Bot
from tests.slack.conftest import ANNA, sample, slack_settings
from tests.slack.fake_slack import FakeSlack


@pytest.fixture
async def socket_mode(
    bot: Bot, fake_slack: FakeSlack
) -> AsyncIterator[tuple[SlackAdapter, TestClient]]:
    settings = slack_settings(fake_slack, SLACK_SIGNING_SECRET="", SLACK_APP_TOKEN="xapp-1-test")
    adapter = SlackAdapter(bot, settings, post_interval=0.0, socket_check_seconds=0.05)
    client = TestClient(TestServer(build_app(bot, [adapter]), host="127.0.0.1"))
    await client.start_server()  # runs on_startup: the socket connects in the background
    try:
        yield adapter, client
    finally:
        await client.close()


async def test_a_slash_command_arrives_through_socket_mode(
    socket_mode: tuple[SlackAdapter, TestClient], fake_slack: FakeSlack
) -> None:
    adapter, client = socket_mode
    assert adapter.socket is not None
    await fake_slack.wait_for(lambda: fake_slack.socket_count == 1)
    [opened] = fake_slack.called("apps.connections.open")
    assert opened.token == "xapp-1-test"
    fields = dict(sample("slash_command.fields.json"))
    fields.update(text="hjälp", user_id=ANNA, response_url=fake_slack.response_url())
    fake_slack.deliver(
        {
            "envelope_id": "env-0001",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": fields,
        }
    )
    await fake_slack.wait_for(
        lambda: any(a.get("envelope_id") == "env-0001" for a in fake_slack.socket_acks)
    )
    # A quick answer travels in the acknowledgement's payload, which Slack shows as the answer.
    [ack] = [a for a in fake_slack.socket_acks if a.get("envelope_id") == "env-0001"]
    assert ack["payload"]["blocks"][0]["text"]["text"] == "Samverkansboten – hjälp"
    assert ack["payload"]["response_type"] == "ephemeral"
    await adapter.settle()
    assert fake_slack.responses == []  # and not a second time through response_url
    # No HTTP route without a signing secret.
    assert (await client.post("/slack/events", data=b"{}")).status in (404, 405)


async def test_readiness_reports_the_socket_and_it_reconnects_when_dropped(
    socket_mode: tuple[SlackAdapter, TestClient], fake_slack: FakeSlack
) -> None:
    adapter, client = socket_mode
    assert adapter.socket is not None
    await fake_slack.wait_for(lambda: fake_slack.socket_count == 1)
    await fake_slack.wait_for(
        lambda: (
            adapter.socket is not None and adapter.socket.handler.client.current_session is not None
        )
    )
    ready = await client.get("/readyz")
    assert (await ready.json())["checks"]["slack_socket_mode"] is True
    await fake_slack.drop_sockets()
    await fake_slack.wait_for(lambda: fake_slack.socket_count >= 2)
    assert len(fake_slack.called("apps.connections.open")) >= 2


async def test_the_watchdog_reconnects_a_stalled_connection(
    socket_mode: tuple[SlackAdapter, TestClient], fake_slack: FakeSlack
) -> None:
    adapter, client = socket_mode
    socket = adapter.socket
    assert socket is not None
    await fake_slack.wait_for(lambda: fake_slack.socket_count == 1)
    socket.handler.client.stale = True  # what the stalled aiohttp client looks like
    not_ready = await client.get("/readyz")
    assert not_ready.status == 503
    await fake_slack.wait_for(lambda: socket.reconnects >= 1 and fake_slack.socket_count >= 2)
