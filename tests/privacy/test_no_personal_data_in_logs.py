"""No personal data in the log, at any level: a whole scenario at DEBUG finds none.

Planted e-mail addresses, phone numbers and personnummer travel through the Slack and Teams
adapters and the core — in commands, direct messages, mentions, button values, a request from
a workspace outside the allow-list, an unknown event, and a failure whose database statement
and exception both carry them — and every log record (message, arguments and traceback) is
searched for them, in the forms a body would hold them (as typed, URL- and JSON-encoded).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.core.context import Context
from bot.core.engine import Bot
from bot.core.registry import ButtonRoute
from bot.core.reply import Reply
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from storage.db import Database
from tests.privacy.conftest import teams_click, teams_message
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, slack_driver, slack_settings
from tests.slack.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.slack.messages import button_click
from tests.teams.conftest import Teams

EMAIL = "planted.marker@example.se"
PHONE = "070-987 65 43"
PERSONNUMMER = "19791231-2389"
TEXT = f"Kontakt {EMAIL}, tel {PHONE}, pnr {PERSONNUMMER}"
# Also personal data, and in every Slack users.info answer and Teams member look-up.
LINKED_EMAIL = "anna.lindqvist@example.org"
MARKERS = [EMAIL, PHONE, PERSONNUMMER, LINKED_EMAIL]
# Fragments that survive any encoding or re-spacing of the markers.
FRAGMENTS = ["planted.marker", "anna.lindqvist", "987 65 43", "9876543", "791231"]


def needles() -> list[str]:
    found = set(FRAGMENTS)
    for marker in MARKERS:
        found |= {marker, quote(marker), quote_plus(marker), json.dumps(marker)[1:-1]}
    return sorted(found)


class Everything(logging.Handler):
    """Keeps every record, formatted with its traceback, from every logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    handler = Everything()
    root = logging.getLogger()
    ours = logging.getLogger("samverkan")  # an earlier in-process `samverkan` run sets its level
    levels = root.level, ours.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ours.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        ours.setLevel(levels[1])


def leaks(lines: list[str]) -> list[str]:
    return [line[:300] for line in lines for needle in needles() if needle in line]


async def _fails_with_the_text(context: Context, payload: dict[str, object]) -> Reply:
    """A fault while storing user text: the statement and the exception both quote it."""
    value = str(payload["text"])
    await context.session.execute(text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": value})
    raise AssertionError("unreachable")


async def _slack_part(slack: SlackDriver, fake: FakeSlack, bot: Bot) -> None:
    await slack.command(f"utkast {TEXT}")
    direct = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ANNA00001",
        "user": ANNA,
        "text": TEXT,
        "ts": "1764147600.000100",
        "team": TEAM,
    }
    await slack.event(direct, "Ev0LOGDIRECT01")
    mention = {**direct, "type": "app_mention", "channel": CHANNEL, "text": f"<@{BOT_USER}> {TEXT}"}
    mention.pop("channel_type")
    await slack.event(mention, "Ev0LOGMENTION1")
    unknown = await slack.event({"type": "reaction_added", "user": ANNA, "text": TEXT}, "Ev0LOG3")
    assert unknown.status == 200
    element = {
        "type": "button",
        "action_id": "sv|draft.approve|0",
        "block_id": "b",
        "value": json.dumps({"draft": TEXT, "version": EMAIL}),
        "text": {"type": "plain_text", "text": "Godkänn"},
    }
    await slack.interact(button_click(slack, ANNA, element, channel=CHANNEL, channel_name="x"))
    # A workspace outside the allow-list: a silent 200, and nothing of its body logged.
    strict = slack_settings(fake, SLACK_ALLOWED_TEAMS=TEAM)
    async with slack_driver(bot, fake, strict) as guarded:
        stranger = await guarded.command(TEXT, team="T0STRANGER1")
        assert stranger.status == 200 and await stranger.text() == ""


async def _teams_part(teams: Teams) -> None:
    status, _ = await teams.post(teams_message(teams, TEXT, "log-1"))
    assert status in (200, 201)
    status, _ = await teams.post(
        teams_click(teams, "draft.request_changes", {"comment": TEXT}, "log-2")
    )
    assert status == 200


async def _core_part(bot: Bot) -> list[str]:
    bot.registry.add_route(ButtonRoute("test.fails", _fails_with_the_text))
    user = PlatformUser("slack", ANNA, TEAM, email=LINKED_EMAIL)
    request = Request(
        user=user,
        channel=ChannelRef("slack", CHANNEL, TEAM),
        press=ButtonPress("test.fails", {"text": TEXT}),
    )
    replies = await bot.handle(request)
    return [reply.plain_text() for reply in replies]


async def test_a_whole_scenario_at_debug_logs_no_personal_data(
    bot: Bot, slack: SlackDriver, fake_slack: FakeSlack, teams: Teams, log_lines: list[str]
) -> None:
    await _slack_part(slack, fake_slack, bot)
    await _teams_part(teams)
    apology = await _core_part(bot)
    assert "referens" in apology[0]
    # The scenario did reach the log: the failure, the stranger, the DEBUG records.
    assert any(line.startswith("samverkan.core ERROR request failed [ref=") for line in log_lines)
    assert any("not on SLACK_ALLOWED_TEAMS" in line for line in log_lines)
    assert any(" DEBUG " in line for line in log_lines)
    assert leaks(log_lines) == []


async def test_a_database_error_never_carries_the_values_of_its_statement(
    database: Database,
) -> None:
    with pytest.raises(DBAPIError) as raised:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": TEXT})
    assert "INSERT INTO no_such_table" in str(raised.value)
    assert [n for n in needles() if n in str(raised.value)] == []
