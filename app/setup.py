"""Which platform adapters this process runs: each decides from its own settings."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.web import WebAdapter
from bot.core.engine import Bot

if TYPE_CHECKING:
    from adapters.slack.settings import SlackSettings
    from adapters.teams.settings import TeamsSettings

log = logging.getLogger("samverkan.setup")


def configured_adapters(
    bot: Bot, slack: SlackSettings | None = None, teams: TeamsSettings | None = None
) -> list[WebAdapter]:
    """Every adapter whose settings are present; one line per platform.

    The settings are the ones `app.config_check` read and checked, or read here when not given.
    """
    adapters: list[WebAdapter] = []
    adapters += _slack(bot, slack)
    adapters += _teams(bot, teams)
    adapters += _calendar(bot)
    adapters += _pages(bot)
    return adapters


def _slack(bot: Bot, settings: SlackSettings | None) -> list[WebAdapter]:
    from adapters.slack.app import SlackAdapter
    from adapters.slack.settings import SlackSettings

    settings = settings or SlackSettings()
    if not settings.enabled:
        log.info("Slack is off: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)")
        return []
    return [SlackAdapter(bot, settings)]


def _teams(bot: Bot, settings: TeamsSettings | None) -> list[WebAdapter]:
    from adapters.teams import configured

    adapter = configured(bot, settings)
    if adapter is None:
        log.info("Teams is off: set MICROSOFT_APP_ID (or TEAMS_LOCAL_MODE=true for the Emulator)")
        return []
    return [adapter]


def _calendar(bot: Bot) -> list[WebAdapter]:
    if not bot.settings.calendar_secret:
        return []
    # Imported only when the feed is on: it brings the calendar export and meeting code.
    from adapters.calendar_feed import CalendarFeed
    from adapters.report_files import ReportFiles

    # The report's signed links use the same secret (with a purpose of their own).
    return [CalendarFeed(bot), ReportFiles(bot)]


def _pages(bot: Bot) -> list[WebAdapter]:
    """The privacy and terms pages: always on, since the Teams package links to them."""
    from adapters.pages import Pages

    return [Pages(bot)]
