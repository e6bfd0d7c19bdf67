"""The Slack app manifest: one source for the scopes, events and slash command the app uses.

An admin pastes the written YAML into https://api.slack.com/apps ("From an app manifest").
This module imports nothing from Slack's libraries, so the CLI can use it cheaply.
"""

from __future__ import annotations

from typing import Any

from bot.common.i18n import Translator

SLASH_COMMAND = "/samverkan"
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
# "Gör ett gemensamt utkast av meddelandet" on a message's menu, and a new draft from anywhere.
DRAFT_FROM_MESSAGE = "samverkan_draft_from_message"
NEW_DRAFT = "samverkan_new_draft"

# The least bot scopes the features need; the OAuth install flow asks for the same.
BOT_SCOPES = (
    "app_mentions:read",  # @Samverkansboten in channels
    "channels:read",  # member_left_channel in public channels
    "chat:write",  # answers, cards, digests
    "commands",  # /samverkan
    "files:write",  # the follow-up report: its chart and its PDF (files_upload_v2)
    "groups:read",  # member_left_channel in private channels
    "im:history",  # message.im: direct messages to the bot
    "im:write",  # open a 1:1 chat to remind a person
    "users:read",  # users.info: locale and home team
    "users:read.email",  # users.info: e-mail, to link a Slack user to a Person
)

BOT_EVENTS = (
    "app_mention",
    "message.im",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
    "member_left_channel",
)


def build_manifest(t: Translator, url: str | None, socket_mode: bool) -> dict[str, Any]:
    """The manifest for HTTP (request URLs under `url`) or for Socket Mode (no URLs)."""
    base = (url or "").rstrip("/")
    command: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": t("slack.manifest.command_description"),
        "usage_hint": t("slack.manifest.usage_hint"),
        "should_escape": True,  # mentions arrive as <@U123>, which `koppla` reads
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if not socket_mode:
        command["url"] = base + EVENTS_PATH
        events["request_url"] = base + EVENTS_PATH
        interactivity["request_url"] = base + EVENTS_PATH
        oauth["redirect_urls"] = [base + OAUTH_REDIRECT_PATH]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Samverkansboten",
            "description": t("slack.manifest.description"),
            "long_description": t("slack.manifest.long_description"),
            "background_color": "#1d4f91",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "Samverkansboten", "always_online": True},
            "slash_commands": [command],
            "shortcuts": [
                {
                    "name": t("threads.shortcut.from_message"),
                    "type": "message",
                    "callback_id": DRAFT_FROM_MESSAGE,
                    "description": t("threads.shortcut.from_message_description"),
                },
                {
                    "name": t("threads.shortcut.new_draft"),
                    "type": "global",
                    "callback_id": NEW_DRAFT,
                    "description": t("threads.shortcut.new_draft_description"),
                },
            ],
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
