"""Which platform adapters this process runs: each decides from its own settings."""

from __future__ import annotations

import logging

from adapters.web import WebAdapter
from bot.core.engine import Bot

log = logging.getLogger("samverkan.setup")


def configured_adapters(bot: Bot) -> list[WebAdapter]:
    """Every adapter whose settings are present; one line per platform."""
    adapters: list[WebAdapter] = []
    adapters += _slack(bot)
    adapters += _teams(bot)
    adapters += _calendar(bot)
    adapters += _pages(bot)
    return adapters


def _slack(bot: Bot) -> list[WebAdapter]:
    from adapters.slack.app import SlackAdapter
    from adapters.slack.settings import SlackSettings

    settings = SlackSettings()
    if not settings.enabled:
        log.info("Slack is off: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)")
        return []
    return [SlackAdapter(bot, settings)]


def _teams(bot: Bot) -> list[WebAdapter]:
    from adapters.teams import configured

    adapter = configured(bot)
    if adapter is None:
        log.info("Teams is off: set MICROSOFT_APP_ID (or TEAMS_LOCAL_MODE=true for the Emulator)")
        return []
    return [adapter]


def _calendar(bot: Bot) -> list[WebAdapter]:
    if not bot.settings.calendar_secret:
        return []
    # Imported only when the feed is on: it brings the calendar export and meeting code.
    from adapters.calendar_feed import CalendarFeed

    return [CalendarFeed(bot)]


def _pages(bot: Bot) -> list[WebAdapter]:
    """The privacy and terms pages: always on, since the Teams package links to them."""
    from adapters.pages import Pages

    return [Pages(bot)]
