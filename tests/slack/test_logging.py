"""Every log line of a Slack request carries its request id and Slack's own id (issue 14).

The real server, Bolt app and adapter answer signed requests; the logs are read as an operator's
log shipper would read them: one JSON object per line on stderr.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from app.logs import configure
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.context import Context
from bot.core.engine import Bot
from bot.core.registry import Access, Command
from bot.core.reply import Reply
from bot.features import default_catalog
from storage.db import Database
from tests.slack.conftest import slack_driver
from tests.slack.fake_slack import FakeSlack

CORE_LOG = logging.getLogger("samverkan.test.inside")


async def _log_something(context: Context, args: dict[str, str]) -> Reply:
    CORE_LOG.info("the command ran")
    return Reply(text="loggat")


@pytest.fixture
def logging_bot(seeded: Database, settings: Settings, clock: FixedClock) -> Bot:
    registry = default_catalog().registry
    registry.add(
        Command("test_log", ("loggtest",), ("logtest",), _log_something, access=Access.ANYONE)
    )
    return Bot(seeded, settings, clock, registry=registry)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root, ours = logging.getLogger(), logging.getLogger("samverkan")
    saved = (list(root.handlers), root.level, ours.level)
    yield
    root.handlers = saved[0]
    root.setLevel(saved[1])
    ours.setLevel(saved[2])


def _lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("inline", [True, False], ids=["answered-inline", "answered-later"])
async def test_a_slack_requests_lines_share_its_ids_in_json(
    logging_bot: Bot,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    inline: bool,
) -> None:
    configure("json", "INFO")
    async with slack_driver(logging_bot, fake_slack) as slack:
        if not inline:
            slack.adapter.inline_budget = 0  # the answer is sent by a background task
        response = await slack.command("loggtest")
        assert response.status == 200
    trigger_id = slack.trigger_id().replace("0002.", "0001.")  # the one the command carried

    lines = _lines(capsys.readouterr().err)
    inside = [line for line in lines if line["message"] == "the command ran"]
    access = [line for line in lines if line["logger"] == "samverkan.access"]
    assert len(inside) == 1 and len(access) == 1
    request_id = access[0]["request_id"]
    assert len(request_id) == 16 and response.headers["X-Request-Id"] == request_id
    for line in (inside[0], access[0]):
        assert line["request_id"] == request_id
        assert line["event_id"] == trigger_id and line["platform"] == "slack"
    assert {k: access[0][k] for k in ("method", "path", "status")} == {
        "method": "POST",
        "path": "/slack/events",
        "status": 200,
    }
    assert isinstance(access[0]["duration_ms"], float)
    assert "loggtest" not in json.dumps(access[0])  # never a body


async def test_text_logs_carry_the_same_ids(
    logging_bot: Bot,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    configure("text", "INFO")
    async with slack_driver(logging_bot, fake_slack) as slack:
        await slack.command(
            "loggtest",
        )
    [line] = [line for line in capsys.readouterr().err.splitlines() if "the command ran" in line]
    assert "request_id=" in line and "event_id=" in line and "platform=slack" in line
    assert not line.startswith("{")


async def test_a_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(
    logging_bot: Bot, fake_slack: FakeSlack, restore_logging: None
) -> None:
    configure("json", "INFO")
    async with slack_driver(logging_bot, fake_slack) as slack:
        kept = await slack.client.get("/healthz", headers={"X-Request-Id": "proxy-1234abcd"})
        odd = await slack.client.get("/healthz", headers={"X-Request-Id": 'x" injected=1'})
    assert kept.headers["X-Request-Id"] == "proxy-1234abcd"
    assert odd.headers["X-Request-Id"] != 'x" injected=1'
