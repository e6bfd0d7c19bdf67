"""Which Slack transports run, decided by the settings present; and post pacing."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.messenger import ChannelPacer
from adapters.slack.settings import SlackSettings
from app.setup import configured_adapters
from bot.core.engine import Bot

SLACK_VARIABLES = (
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_ALLOWED_TEAMS",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> pytest.MonkeyPatch:
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no .env file
    return monkeypatch


def test_with_no_slack_settings_slack_is_off_and_says_so_once(
    bot: Bot, clean_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="samverkan")
    # Only the pages every server has (/privacy, /terms); no platform.
    assert [a.name for a in configured_adapters(bot)] == ["pages"]
    assert "slack" not in bot.messengers
    lines = [r.getMessage() for r in caplog.records if "Slack" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("Slack is off")


def test_a_signing_secret_and_bot_token_mount_http(bot: Bot, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SLACK_SIGNING_SECRET", "s")
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    adapter, *others = configured_adapters(bot)
    assert adapter.name == "slack" and [a.name for a in others] == ["pages"]
    assert bot.messengers["slack"] is adapter.messenger  # type: ignore[attr-defined]
    assert adapter.socket is None  # type: ignore[attr-defined]


def test_app_and_bot_token_alone_run_socket_mode_without_http() -> None:
    settings = SlackSettings(SLACK_APP_TOKEN="xapp-1", SLACK_BOT_TOKEN="xoxb-1")  # type: ignore[call-arg]
    assert settings.socket_mode_enabled and not settings.http_enabled and settings.enabled


def test_allowed_teams_are_read_from_a_comma_separated_list() -> None:
    settings = SlackSettings(SLACK_ALLOWED_TEAMS=" T1, E2 ,,")  # type: ignore[call-arg]
    assert settings.allowed_teams == frozenset({"T1", "E2"})


async def test_posts_to_one_channel_are_paced_but_other_channels_are_not() -> None:
    now = 100.0
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        nonlocal now
        slept.append(seconds)
        now += seconds

    pacer = ChannelPacer(1.0, now=lambda: now, sleep=sleep)
    await pacer.wait("C1")
    await pacer.wait("C2")
    assert slept == []
    now += 0.25
    await pacer.wait("C1")
    assert slept == [0.75]
