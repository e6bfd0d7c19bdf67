"""Several workspaces: Bolt's authorization is kept, and forgotten when a workspace goes, on this
replica at once and on another replica of the bot on the same database within CHECK_SECONDS."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from typing import Any

import pytest

import adapters.slack.oauth
from adapters.slack.installations import CHECK_SECONDS, CachedInstallationStore
from bot.core.engine import Bot
from storage.db import Database
from tests.meeting_support import counting_queries
from tests.slack.conftest import ANNA, SlackDriver, slack_driver
from tests.slack.fake_slack import TEAM, FakeSlack
from tests.slack.test_workspaces import (
    POLICE,
    POLICE_USER,
    install,
    oauth_settings,
    teams_installed,
)

UNINSTALLED = {"type": "app_uninstalled", "event_ts": "1"}
REVOKED = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOTUSER01"]}, "event_ts": "1"}


class Clock:
    """The installation store's monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Every installation store made from here on reads this clock."""
    clock = Clock()
    store = functools.partial(CachedInstallationStore, timer=clock)
    monkeypatch.setattr(adapters.slack.oauth, "CachedInstallationStore", store)
    return clock


@pytest.fixture
async def replicas(
    bot: Bot, fake_slack: FakeSlack, store_clock: Clock
) -> AsyncIterator[tuple[SlackDriver, SlackDriver]]:
    """Two instances of the app on one database, each with its own engine, caches and Bolt."""
    settings = oauth_settings(fake_slack)
    other = Bot(Database(bot.database.url), bot.settings, bot.clock)
    try:
        async with (
            slack_driver(bot, fake_slack, settings) as first,
            slack_driver(other, fake_slack, settings) as second,
        ):
            yield first, second
    finally:
        await other.database.dispose()


def answered(driver: SlackDriver, before: int) -> bool:
    """Whether a command after `before` answers came through with its `hjälp` answer."""
    return any("hjälp" in str(r.get("text")) for r in driver.fake.responses[before:])


def tokens_used(fake: FakeSlack, since: int) -> set[str | None]:
    return {call.token for call in fake.calls[since:]}


async def test_slack_is_asked_who_the_bot_is_once_per_workspace_not_per_request(
    replicas: tuple[SlackDriver, SlackDriver],
) -> None:
    first, _ = replicas
    await install(first, "code-kommun")
    await install(first, "code-polis")
    calls = len(first.fake.calls)
    for _ in range(3):
        await first.command("hjälp", user=POLICE_USER, team=POLICE)
        await first.command("hjälp", user=ANNA, team=TEAM)
    asked = [c.token for c in first.fake.calls[calls:] if c.method == "auth.test"]
    assert sorted(asked) == ["xoxb-kommun", "xoxb-polis"]
    assert len(first.fake.responses) == 6


@pytest.mark.parametrize("event", [UNINSTALLED, REVOKED], ids=["uninstalled", "revoked"])
async def test_a_workspace_removed_through_one_replica_is_dropped_by_the_other_in_time(
    replicas: tuple[SlackDriver, SlackDriver], bot: Bot, store_clock: Clock, event: dict[str, Any]
) -> None:
    first, second = replicas
    await install(first, "code-kommun")
    await install(first, "code-polis")
    before = len(second.fake.responses)
    await second.command("hjälp", user=ANNA, team=TEAM)  # the second now holds kommun's token
    await second.command("hjälp", user=POLICE_USER, team=POLICE)
    assert answered(second, before)

    await first.event(event, "Ev0GONE0001")  # Slack tells one replica only
    assert await teams_installed(bot) == [POLICE]
    calls = len(first.fake.calls)
    await first.command("hjälp", user=ANNA, team=TEAM)
    assert "xoxb-kommun" not in tokens_used(first.fake, calls)  # that replica: at once

    # The other may go on from its memory for less than CHECK_SECONDS (documented), no longer.
    store_clock.now += CHECK_SECONDS
    calls, before = len(second.fake.calls), len(second.fake.responses)
    await second.command("hjälp", user=ANNA, team=TEAM)
    assert not answered(second, before)
    assert "xoxb-kommun" not in tokens_used(second.fake, calls)
    await second.command("hjälp", user=POLICE_USER, team=POLICE)  # the other workspace stays
    assert answered(second, before)
    assert tokens_used(second.fake, calls) == {"xoxb-polis"}


async def test_a_workspace_installed_through_one_replica_is_answered_by_the_other_in_time(
    replicas: tuple[SlackDriver, SlackDriver], store_clock: Clock
) -> None:
    first, second = replicas
    await install(first, "code-kommun")
    before = len(second.fake.responses)
    await second.command("hjälp", user=POLICE_USER, team=POLICE)  # not installed: remembered
    assert not answered(second, before)

    await install(first, "code-polis")
    store_clock.now += CHECK_SECONDS
    calls = len(second.fake.calls)
    await second.command("hjälp", user=POLICE_USER, team=POLICE)
    assert answered(second, before)
    assert "xoxb-polis" in tokens_used(second.fake, calls)


async def test_the_other_replica_checks_once_per_interval_not_on_every_request(
    replicas: tuple[SlackDriver, SlackDriver], store_clock: Clock
) -> None:
    """The check is one small query per replica per CHECK_SECONDS, whatever the traffic."""
    first, second = replicas
    await install(first, "code-kommun")
    await second.command("hjälp", user=ANNA, team=TEAM)
    store_clock.now += CHECK_SECONDS
    with counting_queries(second.adapter.bot.database) as statements:
        for _ in range(5):
            await second.command("hjälp", user=ANNA, team=TEAM)
    checks = [s for s in statements if "count(" in s.lower() and "slack_bots" in s]
    assert len(checks) == 1
