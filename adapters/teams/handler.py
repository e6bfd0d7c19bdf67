"""Teams activities → neutral Requests, and the core's Replies back to Teams.

Channel mentions, group chats and personal chats all reach the same core. The handler holds
no rule of its own: it strips the mention, says who and where, and places each reply where it
belongs (in the thread, in the asker's 1:1 chat, or as the refreshed card of an invoke).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ChannelAccount
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TeamInfo,
)
from cachetools import TTLCache

from adapters.teams import extension
from adapters.teams.activities import (
    _card_response,
    _message_response,
    _submitted,
)
from adapters.teams.messenger import TeamsMessenger, root_conversation_id, turn_updates
from adapters.teams.render import (
    FORM_KEY,
    Card,
    form_values,
    render,
    with_note,
)
from adapters.teams.settings import TeamsSettings
from adapters.teams.store import (
    PLATFORM,
    is_linked,
    mark_inactive,
    remember_channel,
    stored_language,
)
from adapters.teams.transport import tenant_of
from adapters.teams.wire import to_json
from bot.common.i18n import Language, choose_language
from bot.common.untrusted import UNREADABLE_ACTION
from bot.core.dedupe import DuplicateEvent, claim_event
from bot.core.engine import Bot
from bot.core.reply import Reply, Visibility
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from bot.directory.people_search import MOST_RESULTS, PEOPLE_DATASET, search_people

log = logging.getLogger("samverkan.teams.handler")

# Teams gives up on an invoke after 10–15 s; slower answers are delivered proactively.
INVOKE_BUDGET = 8.0
# An unlinked user's e-mail is fetched again after this long (an admin may add them meanwhile).
LOOKUP_INTERVAL = 3600.0
LOOKUP_MEMORY = 10_000  # people whose look-up is remembered at once
SEARCH_RESPONSE = "application/vnd.microsoft.search.searchResponse"
# Teams ids of users (as opposed to channels, teams and tags, which can be mentioned too).
USER_ID_PREFIX = "29:"


def _is_personal(activity: Activity) -> bool:
    return (activity.conversation.conversation_type or "") == "personal"


def _reference(activity: Activity) -> dict[str, Any]:
    return to_json(TurnContext.get_conversation_reference(activity))


def _chat_reference(activity: Activity) -> dict[str, Any]:
    """A 1:1 chat's reference without the message it came with: the same for every message."""
    reference = _reference(activity)
    reference.pop("activityId", None)
    return reference


class TeamsHandler(TeamsActivityHandler):  # type: ignore[misc]
    """One turn: build the Request, ask the core, place the Replies."""

    def __init__(self, bot: Bot, messenger: TeamsMessenger, settings: TeamsSettings) -> None:
        super().__init__()
        self.bot = bot
        self.messenger = messenger
        self.settings = settings
        self.invoke_budget = INVOKE_BUDGET
        self._late: set[asyncio.Future[None]] = set()
        # Who was lately asked about: bounded in size and time, so a tenant of many users
        # does not grow it without end and an unlinked user is asked again after an hour.
        self._looked_up: TTLCache[tuple[str, str], bool] = TTLCache(
            maxsize=LOOKUP_MEMORY, ttl=LOOKUP_INTERVAL
        )

    # ---- who and where -------------------------------------------------------------------

    def channel_ref(self, activity: Activity) -> ChannelRef:
        conversation = activity.conversation
        return ChannelRef(
            platform=PLATFORM,
            channel_id=root_conversation_id(str(conversation.id)),
            workspace=tenant_of(activity) or "",
            name=conversation.name,
            is_direct=_is_personal(activity),
        )

    async def platform_user(self, turn_context: TurnContext) -> PlatformUser:
        """The asker; on first contact their e-mail is fetched so the core can link them."""
        activity = turn_context.activity
        sender: ChannelAccount = activity.from_property
        tenant = tenant_of(activity) or ""
        user_id = sender.aad_object_id or sender.id
        self.messenger.member_ids.remember(tenant, sender.aad_object_id, sender.id)
        email = None
        if self._should_look_up(tenant, user_id) and not await is_linked(
            self.bot.database, tenant, user_id
        ):
            email = await self._email_of(turn_context, sender.id)
            self._looked_up[(tenant, user_id)] = True
        return PlatformUser(
            platform=PLATFORM,
            user_id=user_id,
            workspace=tenant,
            email=email,
            display_name=sender.name,
            locale=activity.locale,
        )

    def _should_look_up(self, tenant: str, user_id: str) -> bool:
        """Ask Teams for an unlinked user's e-mail at most once an hour, not on every message."""
        return (tenant, user_id) not in self._looked_up

    async def _email_of(self, turn_context: TurnContext, member_id: str) -> str | None:
        try:
            member = await TeamsInfo.get_member(turn_context, member_id)
        except Exception as error:
            log.info("Teams member look-up failed: %s", type(error).__name__)
            return None
        email = member.email or member.user_principal_name
        return str(email) if email and "@" in str(email) else None

    async def _request(
        self, turn_context: TurnContext, text: str = "", press: ButtonPress | None = None
    ) -> Request:
        activity = turn_context.activity
        return Request(
            user=await self.platform_user(turn_context),
            channel=self.channel_ref(activity),
            text=text,
            press=press,
            event_id=activity.id,
        )

    async def _remember_conversation(self, turn_context: TurnContext, request: Request) -> None:
        """Keep the references proactive messages need: the channel's, and the asker's 1:1."""
        activity = turn_context.activity
        if request.channel.is_direct:
            await self.messenger.direct_chats.remember(
                request.user.workspace, request.user.user_id, _chat_reference(activity)
            )
        else:
            await remember_channel(
                self.bot.database,
                request.channel,
                _reference(activity),
                known=self.messenger.known_channels,
            )

    # ---- messages --------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value and not (activity.text or "").strip():
            # Action.Submit from an older card: the action name travels in the data.
            data = dict(value)
            name = data.pop("action", None) or data.pop("verb", None)
            if name:
                data.pop(FORM_KEY, None)
                await self._answer(turn_context, press=ButtonPress(str(name), data))
            return
        text = await self._neutral_mentions(turn_context)
        await self._answer(turn_context, text=text.strip())

    async def _neutral_mentions(self, turn_context: TurnContext) -> str:
        """The text with the bot's mention removed and every other one as `<@AADOBJECTID>`.

        The core knows no platform markup: `<at>Anna</at>` becomes the neutral mention of the
        user's AAD object id, the id the bot keeps identities under. Each mention replaces its
        own occurrence, in order, so two people shown with the same name stay apart.
        """
        activity = turn_context.activity
        text = str(activity.text or "")
        for entity in activity.entities or []:
            if (entity.type or "").lower() != "mention":
                continue
            extra = getattr(entity, "additional_properties", None) or {}
            raw = extra.get("mentioned")
            mentioned: dict[str, Any] = raw if isinstance(raw, dict) else {}
            name = str(mentioned.get("name") or "")
            shown = str(extra.get("text") or (f"<at>{name}</at>" if name else ""))
            member_id = str(mentioned.get("id") or "")
            if not shown or shown not in text or not member_id:
                continue
            if member_id == activity.recipient.id:
                neutral = ""
            elif mentioned.get("aadObjectId") or member_id.startswith(USER_ID_PREFIX):
                user_id = mentioned.get("aadObjectId") or await self._aad_of(
                    turn_context, member_id
                )
                neutral = f"<@{user_id}>"
            else:  # a channel, team or tag: its name, without the markup
                neutral = name
            text = text.replace(shown, neutral, 1)
        return text

    async def _aad_of(self, turn_context: TurnContext, member_id: str) -> str:
        """A mentioned user's AAD object id (mentions carry only the Teams id); else that id."""
        try:
            member = await TeamsInfo.get_member(turn_context, member_id)
        except Exception as error:
            log.info("Teams member look-up failed: %s", type(error).__name__)
            return member_id
        return str(member.aad_object_id or member_id)

    async def _answer(
        self, turn_context: TurnContext, text: str = "", press: ButtonPress | None = None
    ) -> None:
        request = await self._request(turn_context, text=text, press=press)
        replies = await self.bot.handle(request)
        try:
            await self.deliver(turn_context, request, replies)
        finally:  # the answer first: keeping the reference is not what the asker waits for
            await self._remember_conversation(turn_context, request)

    async def deliver(
        self, turn_context: TurnContext, request: Request, replies: list[Reply]
    ) -> None:
        """Public replies in the conversation; only-to-you ones 1:1 when asked in a channel."""
        sent_privately = failed_privately = False
        for reply in replies:
            if reply.visibility is Visibility.ONLY_TO_YOU and not request.channel.is_direct:
                if await self.messenger.send_private(turn_context, request.user.user_id, reply):
                    sent_privately = True
                else:
                    failed_privately = True
                continue
            await self.messenger.send_in_turn(turn_context, reply)
        if failed_privately or sent_privately:
            t = self.bot.translator(await self._language(request, replies))
            note = (
                Reply(text=t("teams.install_hint"))
                if failed_privately
                else Reply(context=t("teams.private_note"))
            )
            await self.messenger.send_in_turn(turn_context, note)

    async def _language(self, request: Request, replies: Sequence[Reply] = ()) -> Language:
        """The language of the answer; else the asker's stored choice, locale, bot default."""
        written = next((reply.language for reply in replies if reply.language), None)
        if written is not None:
            return written
        stored = await stored_language(
            self.bot.database, request.user.workspace, request.user.user_id
        )
        return choose_language(stored, request.user.locale, self.bot.settings.locale)

    # ---- Universal Actions -----------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name == "adaptiveCard/action":
            return await self._on_execute(turn_context)
        if turn_context.activity.name == "application/search":
            return await self._on_search(turn_context)
        return await super().on_invoke_activity(turn_context)

    async def _on_search(self, turn_context: TurnContext) -> InvokeResponse:
        """A people picker's typeahead (Teams asks as the user types): the directory answers."""
        raw = turn_context.activity.value
        value: dict[str, Any] = raw if isinstance(raw, dict) else {}
        given = value.get("queryOptions")
        options: dict[str, Any] = given if isinstance(given, dict) else {}
        found = []
        if value.get("dataset") == PEOPLE_DATASET:
            top = options.get("top")
            limit = top if isinstance(top, int) and not isinstance(top, bool) else MOST_RESULTS
            query = str(value.get("queryText") or "")[:100]
            request = await self._request(turn_context)
            found = await search_people(self.bot.directory, request, query, limit)
        return InvokeResponse(
            status=200,
            body={
                "type": SEARCH_RESPONSE,
                "value": {"results": [{"title": f.title, "value": f.value} for f in found]},
            },
        )

    async def _on_execute(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else None
        if action is None or action.get("type") != "Action.Execute" or not action.get("verb"):
            return InvokeResponse(
                status=400,
                body={
                    "statusCode": 400,
                    "type": "application/vnd.microsoft.error",
                    "value": {"code": "BadRequest", "message": "not an Action.Execute"},
                },
            )
        data, form = _submitted(action.get("data"))
        if data is None:
            verb, payload = UNREADABLE_ACTION, {}
        else:
            verb = str(action["verb"])
            payload = (
                form_values(form, data)
                if form
                else {k: v for k, v in data.items() if k != FORM_KEY}
            )
        request = await self._request(turn_context, press=ButtonPress(verb, payload))
        updates: dict[str, Card] = {}
        token = turn_updates.set(updates)
        try:
            handling = asyncio.ensure_future(self.bot.handle(request))
        finally:
            turn_updates.reset(token)
        done, _ = await asyncio.wait({handling}, timeout=self.invoke_budget)
        if not done:
            late = asyncio.ensure_future(self._deliver_late(turn_context, request, handling))
            self._late.add(late)
            late.add_done_callback(self._late.discard)
            t = self.bot.translator(choose_language(activity.locale))
            return _message_response(t("teams.working"))
        replies = handling.result()

        refused = next((r for r in replies if r.field_errors), None)
        if refused is not None and form is not None:
            card = render(refused, form=form, values=payload)[0]
            return _card_response(card)

        primary = next((r for r in replies if r.replace_original), None)
        if primary is None:
            primary = next((r for r in replies if r.form is not None), None)
        automatic = value.get("trigger") == "automatic"  # a per-viewer refresh, not a click
        refreshed = None if automatic else updates.get(activity.reply_to_id or "")
        if primary is None and form is not None and replies and refreshed is None:
            primary = replies[0]  # a submitted form gives way to its result
        rest = [r for r in replies if r is not primary]
        await self._remember_conversation(turn_context, request)
        if primary is None:
            private = next((r for r in rest if r.visibility is Visibility.ONLY_TO_YOU), None)
            if private is not None:
                rest.remove(private)
            await self.deliver(turn_context, request, rest)
            if refreshed is not None:
                # The clicked card (or the form drawn in its place) changed for everyone: the
                # clicker sees it at once, with their answer below until the next update.
                return _card_response(
                    with_note(refreshed, private.plain_text()) if private else refreshed
                )
            t = self.bot.translator(await self._language(request, replies))
            return _message_response(private.plain_text() if private else t("teams.done"))

        card = (await self.messenger.cards(turn_context, primary))[0]
        # The answer to a card's own per-viewer action is this viewer's card: never an update
        # for everyone, however it was asked for (automatically or from the card's menu).
        own_view = primary.per_viewer is not None and primary.per_viewer.route == verb
        shared = primary.visibility is Visibility.CHANNEL and not own_view
        if shared and activity.reply_to_id and not automatic:
            await self.messenger.update_in_turn(turn_context, activity.reply_to_id, card)
        await self.deliver(turn_context, request, rest)
        return _card_response(card)

    # ---- the message extension: a post as a joint draft ----------------------------------

    async def on_teams_messaging_extension_fetch_task(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The draft form, its text taken from the post the action was used on."""
        if action.command_id != extension.DRAFT_FROM_MESSAGE:
            return extension.message_dialog("")
        request = await self._request(turn_context, press=extension.opening_press(action))
        replies = await self.bot.handle(request)
        opened = next((r for r in replies if r.form is not None), None)
        if opened is None or opened.form is None:  # refused: say why in the dialog
            return extension.message_dialog("\n\n".join(r.plain_text() for r in replies))
        return extension.form_dialog(extension.dialog_card(opened), opened.form.title)

    async def on_teams_messaging_extension_submit_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The dialog's form, sent to the route the form names: the draft is made as by
        `utkast`; a refused field shows the form again with the error beside it."""
        form, values = extension.submitted(action)
        press = ButtonPress(form.route, values) if form else ButtonPress(UNREADABLE_ACTION, {})
        request = await self._request(turn_context, press=press)
        replies = await self.bot.handle(request)
        refused = next((r for r in replies if r.field_errors), None)
        if refused is not None and form is not None:
            card = extension.dialog_card(refused, form=form, values=values)
            return extension.form_dialog(card, form.title)
        await self._remember_conversation(turn_context, request)
        public = [r for r in replies if r.visibility is Visibility.CHANNEL]
        if public:
            await self.deliver(turn_context, request, public)
        return extension.message_dialog(extension.answer_of(replies))

    async def settle(self) -> None:
        """Wait for the late answers of slow actions still being sent (a graceful stop)."""
        while self._late:
            await asyncio.gather(*list(self._late), return_exceptions=True)

    async def _deliver_late(
        self, turn_context: TurnContext, request: Request, handling: asyncio.Future[list[Reply]]
    ) -> None:
        """A slow action's answer, sent once the core is done into the thread of the post it
        answers (Teams names it in the conversation id, `;messageid=`).

        Only-to-you answers go 1:1 or not at all: never into the channel.
        """
        reference = _reference(turn_context.activity)
        replies = await handling
        for reply in replies:
            if reply.visibility is Visibility.ONLY_TO_YOU and not request.channel.is_direct:
                # The 1:1 chat this process knows is reused, as for answers within the turn.
                if not await self.messenger.send_private(turn_context, request.user.user_id, reply):
                    log.info("late private answer dropped: no 1:1 chat")
                continue
            await self.messenger.post_in_thread(reference, reply)  # the post's own thread

    # ---- the bot added to or removed from a conversation ------------------------------------

    async def on_teams_members_added(
        self,
        teams_members_added: list[ChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        activity = turn_context.activity
        if not any(member.id == activity.recipient.id for member in teams_members_added):
            return
        ref = self.channel_ref(activity)
        if team_info is not None and team_info.name and not ref.name:
            ref = replace(ref, name=team_info.name)
        async with self.bot.database.transaction() as session:
            try:
                await claim_event(session, PLATFORM, str(activity.id), self.bot.clock.now())
            except DuplicateEvent:
                return
        if ref.is_direct:  # installed personally: the 1:1 chat is kept on the person
            sender = activity.from_property
            user_id = (sender.aad_object_id or sender.id) if sender else ""
            await self.messenger.direct_chats.remember(
                ref.workspace, user_id, _chat_reference(activity), force=True
            )
        else:
            await remember_channel(
                self.bot.database,
                ref,
                _reference(activity),
                force=True,
                known=self.messenger.known_channels,
            )
        t = self.bot.translator(choose_language(activity.locale, self.bot.settings.locale))
        await self.messenger.send_in_turn(
            turn_context,
            Reply(heading=t("teams.welcome.heading"), text=t("teams.welcome.text")),
        )

    async def on_teams_members_removed(
        self,
        teams_members_removed: list[ChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        activity = turn_context.activity
        if any(member.id == activity.recipient.id for member in teams_members_removed):
            ref = self.channel_ref(activity)
            await mark_inactive(
                self.bot.database, ref.workspace, ref.channel_id, self.messenger.known_channels
            )
            log.info("removed from Teams conversation %s", ref.channel_id)
