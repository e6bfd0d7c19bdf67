"""App Home: the core builds the page (`bot.core.home`), this publishes it as the Home tab."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_home
from adapters.slack.translate import SlackUser, channel_ref, platform_user
from bot.core.engine import Bot
from bot.core.home import build_home
from bot.core.request import Request


async def publish(bot: Bot, client: AsyncWebClient, user: SlackUser, channel_id: str) -> None:
    request = Request(user=platform_user(user), channel=channel_ref(channel_id, user.team_id))
    replies = await build_home(bot, request)
    await client.views_publish(user_id=user.user_id, view=render_home(replies))
