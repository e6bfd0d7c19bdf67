"""Sending to Slack: the core's `Messenger` (post, update, direct message) and the `Responder`
that answers one request (ephemeral or in the channel, response_url, modals).

Posts to one channel are paced at about one a second, as Slack asks; 429 answers are retried
after `Retry-After` by slack_sdk's rate-limit handler on every client we build.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import files
from adapters.slack.render import Message, render, render_form, render_single
from adapters.slack.translate import PLATFORM, FormMetadata, is_direct_channel
from bot.common.pacing import Pacer
from bot.core.messenger import ConversationGone
from bot.core.reply import Reply, Visibility
from storage.models import Channel, Identity

log = logging.getLogger("samverkan.slack.messenger")

# Slack accepts a response_url five times within thirty minutes.
RESPONSE_URL_USES = 5
# Errors that mean the bot can no longer post there: the core skips and marks the channel.
GONE_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})


def make_client(base_url: str, token: str | None) -> AsyncWebClient:
    """A Web API client that waits out 429s and retries dropped connections."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class ChannelPacer:
    """At most one post per `interval` seconds per channel, waiting rather than failing."""

    def __init__(
        self,
        interval: float = 1.0,
        now: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        clock = now or (lambda: asyncio.get_running_loop().time())
        self._pacer = Pacer.per_second(1 / interval if interval > 0 else None, clock)
        self._sleep = sleep

    async def wait(self, channel_id: str) -> None:
        delay = self._pacer.take(channel_id)
        while delay > 0:
            await self._sleep(delay)
            delay = self._pacer.take(channel_id)


@dataclass
class SlackMessenger:
    """The core speaks first on Slack through this: meeting cards, drafts, digests, reminders."""

    client_for: ClientFor
    pacer: ChannelPacer
    platform: str = PLATFORM

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        """Post to the channel; the id is the message's `ts` (the channel is stored beside it).

        A reply with buttons is a card that may be updated later, so it is always one message
        (see `render_single`); a long reply without buttons (a digest) may be split, and its
        id is then that of the first part.
        """
        client = await self.client_for(channel.workspace)
        if reply.buttons:
            single = render_single(reply)
            messages = [single] if single is not None else []
        else:
            messages = render(reply)
        first = await _post_all(client, self.pacer, channel.channel_id, messages)
        await files.upload(client, channel.channel_id, reply.attachments)
        return first

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        """Replace the message in place with chat.update, so everyone sees the new state."""
        message = render_single(reply)
        if message is None:
            return
        client = await self.client_for(channel.workspace)
        await self.pacer.wait(channel.channel_id)
        await client.chat_update(channel=channel.channel_id, ts=message_id, **message.as_kwargs())

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        client = await self.client_for(identity.workspace)
        opened = await client.conversations_open(users=identity.user_id)
        channel_id = str(opened["channel"]["id"])
        first = await _post_all(client, self.pacer, channel_id, render(reply))
        await files.upload(client, channel_id, reply.attachments)
        return first


async def _post_all(
    client: AsyncWebClient, pacer: ChannelPacer, channel_id: str, messages: list[Message]
) -> str | None:
    first: str | None = None
    for message in messages:
        await pacer.wait(channel_id)
        try:
            response = await client.chat_postMessage(channel=channel_id, **message.as_kwargs())
        except SlackApiError as error:
            if error.response.get("error") in GONE_ERRORS:
                raise ConversationGone(str(error.response.get("error"))) from error
            raise
        first = first or response.get("ts")
    return first


@dataclass
class Responder:
    """Answers one request where it came from: only-to-you by default, the channel if asked.

    A slash command or button brings a `response_url`, which works even in channels the bot is
    not a member of; without one we use chat.postEphemeral, and a DM when there is no channel.
    """

    client: AsyncWebClient
    pacer: ChannelPacer
    user_id: str
    channel_id: str = ""
    response_url: str | None = None
    trigger_id: str | None = None
    # The bot's time zone, for a form's initial times.
    tz: tzinfo = UTC
    # The thread the request was written in: its answers, ephemeral ones too, stay there.
    thread_ts: str | None = None
    _url_uses: int = field(default=0, init=False)

    async def send(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.form is not None and self.trigger_id:
                await self.open_form(reply)
                continue
            for index, message in enumerate(render(reply)):
                await self._send_one(reply, message, replace=reply.replace_original and index == 0)
            await self._upload(reply)

    async def _upload(self, reply: Reply) -> None:
        """The reply's files: in the channel for the channel, in the direct chat for the asker."""
        if not reply.attachments:
            return
        channel_id = self.channel_id
        if reply.visibility is Visibility.ONLY_TO_YOU and not is_direct_channel(channel_id):
            channel_id = ""
        channel_id = channel_id or await self._direct_channel_only()
        await files.upload(self.client, channel_id, reply.attachments)

    async def open_form(self, reply: Reply) -> None:
        """Open the form as a modal; Slack allows this for 3 seconds after the trigger."""
        assert reply.form is not None
        metadata = FormMetadata(reply.form.route, self.channel_id, reply.form.payload)
        await self.client.views_open(
            trigger_id=self.trigger_id, view=render_form(reply.form, metadata, self.tz)
        )
        self.trigger_id = None  # a trigger opens one modal

    async def _send_one(self, reply: Reply, message: Message, replace: bool) -> None:
        ephemeral = reply.visibility is Visibility.ONLY_TO_YOU
        if self.response_url and self._url_uses < RESPONSE_URL_USES:
            self._url_uses += 1
            body: dict[str, Any] = {
                **message.as_kwargs(),
                "response_type": "ephemeral" if ephemeral else "in_channel",
            }
            if replace:
                body["replace_original"] = True
            response = await AsyncWebhookClient(self.response_url).send_dict(body)
            if response.status_code == 200:
                return
            log.warning("response_url answered %s; posting instead", response.status_code)
        channel_id = self.channel_id or await self._direct_channel()
        thread = self.thread_ts if self.channel_id else None  # a DM opened here has none
        if ephemeral and not is_direct_channel(channel_id):
            await self.client.chat_postEphemeral(
                channel=channel_id, user=self.user_id, thread_ts=thread, **message.as_kwargs()
            )
            return
        await self.pacer.wait(channel_id)
        await self.client.chat_postMessage(
            channel=channel_id, thread_ts=thread, **message.as_kwargs()
        )

    async def _direct_channel(self) -> str:
        self.channel_id = await self._direct_channel_only()
        return self.channel_id

    async def _direct_channel_only(self) -> str:
        opened = await self.client.conversations_open(users=self.user_id)
        return str(opened["channel"]["id"])
