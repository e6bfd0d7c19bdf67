"""Sending to Teams: in a turn, proactively to a stored conversation, and 1:1 to a person.

Every call to the connector goes through one path that keeps within Teams' per-conversation
rate limits and retries 429/412/502/504 (and other 5xx) with backoff and jitter. A 403 means
the bot was removed from the conversation: the channel is marked inactive.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    DeliveryModes,
)
from msrest.exceptions import HttpOperationError

from adapters.teams.connector import ConnectorError
from adapters.teams.members import MemberIds
from adapters.teams.render import CARD_CONTENT_TYPE, Card, render
from adapters.teams.settings import TeamsSettings
from adapters.teams.store import DirectChats, KnownChannels, mark_inactive, service_url_for
from adapters.teams.transport import tenant_of
from adapters.teams.wire import from_json, to_json
from bot.common.pacing import Pacer
from bot.core.reply import Reply
from storage.db import Database
from storage.models import Channel, Identity

log = logging.getLogger("samverkan.teams.messenger")

T = TypeVar("T")
RETRIED = frozenset({412, 429, 500, 502, 503, 504})
MAX_ATTEMPTS = 5


# The cards this turn's handling put in place of posted messages, by message id: an invoke
# on one of them is answered with the card everyone now sees.
turn_updates: ContextVar[dict[str, Card] | None] = ContextVar("turn_updates", default=None)


class ConversationGone(Exception):
    """The connector answered 403/404: the bot is no longer in that conversation."""


def status_of(error: Exception) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return int(status) if status is not None else None


TEAMS_RATES = ((7, 1.0), (60, 30.0))  # per conversation: 7 a second, 60 per 30 seconds


def conversation_pacer(now: Callable[[], float] = time.monotonic) -> Pacer:
    """Teams' per-conversation limits on the shared pacer."""
    return Pacer(TEAMS_RATES, now)


class CardAttachment(Attachment):  # type: ignore[misc]
    """An Adaptive Card attachment whose card is shared, not copied, when the activity is.

    TurnContext.send_activities deep-copies every outgoing activity before addressing it; the
    card inside is never changed afterwards, and copying it cost ~0.15 ms per reply.
    """

    def __deepcopy__(self, _memo: dict[int, Any]) -> CardAttachment:
        return CardAttachment(content_type=self.content_type, content=self.content)


def activity_for(card: Card) -> Activity:
    """A message carrying one card, with its text fallback as the notification summary."""
    return Activity(
        type=ActivityTypes.message,
        summary=str(card.get("fallbackText", ""))[:200],
        attachments=[CardAttachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


async def send_new(turn_context: TurnContext, activity: Activity) -> Any:
    """`turn_context.send_activity` for an activity built for this one send.

    botbuilder deep-copies every activity it sends, so that a caller's object is never
    changed: some ninety `deepcopy` calls over the model's fifty-odd attributes (the card is
    shared, see CardAttachment), a fifteenth of a channel mention's CPU in the profile. Ours
    are built for the send and dropped after it, so they are addressed in place. A turn that
    needs botbuilder's own path (send handlers registered on it, expectReplies delivery)
    takes it.
    """
    if (
        turn_context._on_send_activities
        or turn_context.activity.delivery_mode == DeliveryModes.expect_replies
    ):
        return await turn_context.send_activity(activity)
    reference = TurnContext.get_conversation_reference(turn_context.activity)
    TurnContext.apply_conversation_reference(activity, reference)
    activity.type = activity.type or ActivityTypes.message
    activity.input_hint = activity.input_hint or "acceptingInput"
    activity.id = None
    responses = await turn_context.adapter.send_activities(turn_context, [activity])
    if activity.type != ActivityTypes.trace:
        turn_context.responded = True
    return responses[0] if responses else None


def root_conversation_id(conversation_id: str) -> str:
    """A channel thread id without `;messageid=…`: posts go top-level, not into a thread."""
    return conversation_id.split(";messageid=", 1)[0]


def top_level(reference: dict[str, Any]) -> dict[str, Any]:
    """A stored reference aimed at the conversation itself, not at a thread or a message."""
    conversation = dict(reference.get("conversation") or {})
    conversation["id"] = root_conversation_id(str(conversation.get("id", "")))
    aimed = {key: value for key, value in reference.items() if key != "activityId"}
    aimed["conversation"] = conversation
    return aimed


class TeamsMessenger:
    """The core's Messenger for Teams, plus the in-turn sends the handler uses."""

    platform = "teams"

    def __init__(
        self,
        cloud_adapter: CloudAdapter,
        settings: TeamsSettings,
        database: Database,
        *,
        backoff: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        limiter: Pacer | None = None,
    ) -> None:
        self.cloud_adapter = cloud_adapter
        self.settings = settings
        self.database = database
        self.backoff = backoff
        self.sleep = sleep
        self.limiter = limiter or conversation_pacer()
        self.direct_chats = DirectChats(database)
        self.known_channels = KnownChannels()
        self.member_ids = MemberIds()

    async def cards(
        self, turn_context: TurnContext, reply: Reply, tenant: str | None = None
    ) -> list[Card]:
        """The reply's cards; a per-viewer card names its viewers as Teams knows them."""
        refresh_for = None
        viewers = reply.viewers.get(self.platform, ())
        if reply.per_viewer is not None and viewers:
            tenant = tenant or tenant_of(turn_context.activity) or ""
            refresh_for = await self.member_ids.resolve(turn_context, tenant, viewers)
        return render(reply, refresh_for=refresh_for)

    async def call(self, conversation_id: str, send: Callable[[], Awaitable[T]]) -> T:
        """One connector call within the rate limit, retried on throttling and 5xx."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            wait = self.limiter.take(conversation_id)
            while wait > 0:
                await self.sleep(wait)
                wait = self.limiter.take(conversation_id)
            try:
                return await send()
            except (HttpOperationError, ConnectorError) as error:
                status = status_of(error)
                if status in (403, 404):
                    raise ConversationGone(conversation_id) from error
                if status not in RETRIED or attempt == MAX_ATTEMPTS:
                    raise
                await self.sleep(self._delay(attempt, error))
                log.info("Teams answered %s; retry %d for %s", status, attempt, conversation_id)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, error: HttpOperationError | ConnectorError) -> float:
        headers = getattr(error.response, "headers", None) or {}
        retry_after = headers.get("Retry-After")
        if retry_after and str(retry_after).isdigit():
            return float(retry_after)
        return float(self.backoff * 2 ** (attempt - 1) * (0.5 + random.random()))

    async def send_in_turn(
        self, turn_context: TurnContext, reply: Reply, tenant: str | None = None
    ) -> list[str]:
        """Answer in the conversation (and thread) the activity came from; `tenant` where the
        activity does not say it (a proactive turn from a stored reference)."""
        ids: list[str] = []
        conversation_id = turn_context.activity.conversation.id
        for card in await self.cards(turn_context, reply, tenant):

            async def send(card: Card = card) -> Any:
                return await send_new(turn_context, activity_for(card))

            response = await self.call(conversation_id, send)
            if response is not None and response.id:
                ids.append(str(response.id))
        return ids

    async def update_in_turn(self, turn_context: TurnContext, message_id: str, card: Card) -> None:
        """Replace a posted card so everyone in the conversation sees the new state."""
        activity = activity_for(card)
        activity.id = message_id
        activity.conversation = turn_context.activity.conversation
        activity.service_url = turn_context.activity.service_url

        async def send() -> Any:
            return await turn_context.update_activity(activity)

        await self.call(turn_context.activity.conversation.id, send)

    async def _continue(
        self, reference: dict[str, Any], work: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        conversation_ref = from_json(ConversationReference, reference)

        failures: list[Exception] = []

        async def callback(turn_context: TurnContext) -> None:
            turn_context.activity.id = None  # a new message, not a reply to the continuation
            try:
                await work(turn_context)
            except Exception as error:
                # botbuilder would hand it to on_turn_error and swallow it; the caller decides.
                failures.append(error)

        await self.cloud_adapter.continue_conversation(
            conversation_ref, callback, bot_app_id=self.settings.app_id
        )
        if failures:
            raise failures[0]

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        """Post to a stored channel, top-level; a 403 marks the channel inactive."""
        if not channel.active or not channel.conversation_ref:
            log.warning("Teams channel %s cannot be posted to", channel.channel_id)
            return None
        try:
            return await self.post_to_reference(
                channel.conversation_ref, reply, tenant=channel.workspace
            )
        except ConversationGone:
            await mark_inactive(
                self.database, channel.workspace, channel.channel_id, self.known_channels
            )
            log.warning("removed from Teams channel %s: marked inactive", channel.channel_id)
            return None

    async def post_to_reference(
        self, reference: dict[str, Any], reply: Reply, tenant: str | None = None
    ) -> str | None:
        """Post a new top-level message to a conversation; return the first message's id."""
        ids: list[str] = []

        async def work(turn_context: TurnContext) -> None:
            ids.extend(await self.send_in_turn(turn_context, reply, tenant))

        await self._continue(top_level(reference), work)
        return ids[0] if ids else None

    async def post_in_thread(self, reference: dict[str, Any], reply: Reply) -> str | None:
        """Post into the thread a reference's activity belongs to (`;messageid=` kept).

        What botbuilder does with `reply_to_id` inside a turn: a channel conversation id that
        names a thread's root message puts the post in that thread, not at the top level.
        """
        ids: list[str] = []

        async def work(turn_context: TurnContext) -> None:
            ids.extend(await self.send_in_turn(turn_context, reply))

        aimed = {key: value for key, value in reference.items() if key != "activityId"}
        await self._continue(aimed, work)
        return ids[0] if ids else None

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        if not channel.active or not channel.conversation_ref:
            return

        async def work(turn_context: TurnContext) -> None:
            card = (await self.cards(turn_context, reply, channel.workspace))[0]
            await self.update_in_turn(turn_context, message_id, card)
            updates = turn_updates.get()
            if updates is not None:
                updates[message_id] = card

        try:
            await self._continue(top_level(channel.conversation_ref), work)
        except ConversationGone:
            await mark_inactive(
                self.database, channel.workspace, channel.channel_id, self.known_channels
            )

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        """Send to a person's 1:1 chat, opening it first if the bot has none stored."""
        ids: list[str] = []

        async def work(turn_context: TurnContext) -> None:
            ids.extend(await self.send_in_turn(turn_context, reply))

        try:
            if identity.direct_conversation:
                await self._continue(dict(identity.direct_conversation), work)
            else:
                service_url = (
                    await service_url_for(self.database, identity.workspace)
                    or self.settings.service_url
                )
                # Teams accepts the AAD object id as the member of a new 1:1 conversation.
                reference = await self.open_direct(
                    service_url, identity.workspace, identity.user_id, None
                )
                await self.direct_chats.remember(
                    identity.workspace, identity.user_id, reference, force=True
                )
                await self._continue(reference, work)
        except ConversationGone:
            log.warning("no 1:1 chat with Teams user %s (app not installed?)", identity.user_id)
            return None
        return ids[0] if ids else None

    async def open_direct(
        self, service_url: str, tenant: str, user_id: str, bot: ChannelAccount | None
    ) -> dict[str, Any]:
        """Create (or find) the 1:1 conversation with a member; return its reference."""
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        created: dict[str, Any] = {}

        async def callback(turn_context: TurnContext) -> None:
            reference = TurnContext.get_conversation_reference(turn_context.activity)
            reference.activity_id = None
            created.update(to_json(reference))

        async def create() -> None:
            await self.cloud_adapter.create_conversation(
                self.settings.app_id,
                callback,
                parameters,
                channel_id="msteams",
                service_url=service_url,
            )

        await self.call(f"create:{user_id}", create)
        created.pop("activityId", None)
        return created

    async def send_private(self, turn_context: TurnContext, user_id: str, reply: Reply) -> bool:
        """Only-to-you from a channel or group chat: send it 1:1; False if that cannot be done.

        A 1:1 chat this process already stored for the person is used as it is: opening it
        again costs a connector call per answer and gives the same conversation. Should Teams
        refuse the stored one, the chat is opened anew.
        """
        activity = turn_context.activity
        tenant = tenant_of(activity) or ""

        async def work(private_context: TurnContext) -> None:
            await self.send_in_turn(private_context, reply)

        try:
            known = self.direct_chats.stored.get((tenant, user_id))
            if known is not None:
                try:
                    await self._continue(known, work)
                    return True
                except ConversationGone:
                    log.info("stored 1:1 chat with %s refused; opening it anew", user_id)
            member_id = activity.from_property.id
            reference = await self.open_direct(
                activity.service_url, tenant, member_id, activity.recipient
            )
            await self.direct_chats.remember(tenant, user_id, reference, force=known is not None)
            await self._continue(reference, work)
        except (ConversationGone, HttpOperationError, ConnectorError) as error:
            log.info("private answer could not be sent 1:1: %s", type(error).__name__)
            return False
        return True
