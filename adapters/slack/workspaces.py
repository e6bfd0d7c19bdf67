"""A workspace that removes the app, or a channel that removes the bot: forget, go idle."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.slack.plumbing import _deactivate_channels
from bot.core.engine import Bot

log = logging.getLogger("samverkan.slack")


async def forget_workspace(
    bot: Bot,
    installations: AsyncSQLAlchemyInstallationStore | None,
    body: dict[str, Any],
    context: AsyncBoltContext,
) -> None:
    """The app was removed or its tokens revoked: forget the installation, idle the channels."""
    event = body.get("event") or {}
    if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
        return  # only user tokens were revoked; the bot can still speak
    team_id = context.team_id or body.get("team_id") or ""
    if installations is not None:
        await installations.async_delete_installation(
            enterprise_id=context.enterprise_id, team_id=team_id
        )
        await installations.async_delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)
    await _deactivate_channels(bot, team_id, None)
    log.info("Slack workspace %s uninstalled the app or revoked its tokens", team_id)


async def left_channel(bot: Bot, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """The bot itself left (or was removed from) a channel: stop posting there."""
    event = body["event"]
    if event.get("user") == context.bot_user_id:
        await _deactivate_channels(bot, context.team_id or "", event["channel"])
