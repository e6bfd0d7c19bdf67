"""The Slack adapter: a Bolt `AsyncApp` on the shared aiohttp server and/or in Socket Mode.

Every listener is small: acknowledge at once, then translate the payload to a `Request`, let the
core answer, and render the replies. Bolt runs with `process_before_response=True`, so nothing
waits for its 10 ms acknowledgement poll. A slash command whose answer is ready within
`inline_budget` (well inside Slack's 3 seconds) is answered in the acknowledgement itself;
anything slower runs on after it as a background task and answers through `response_url`.
Events and button presses are acknowledged at once and handled by Bolt's lazy listeners. A
form submission is always answered inside the acknowledgement, because Slack shows field errors
only from there.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import home, modals
from adapters.slack.authorize import CachedAuthorize
from adapters.slack.identity import UserDirectory
from adapters.slack.installations import CachedInstallationStore
from adapters.slack.manifest import DRAFT_FROM_MESSAGE, EVENTS_PATH, NEW_DRAFT, SLASH_COMMAND
from adapters.slack.messenger import ChannelPacer, Responder, SlackMessenger, make_client
from adapters.slack.oauth import build_oauth_flow, installation_store, is_allowed
from adapters.slack.plumbing import (
    APP_NAME,
    BOLT_LOGGER,
    BackgroundWork,
    _ack,
    _channel_of,
    _guarded,
    _headers,
    _on_error,
    _quiet_bolt_loggers,
    _well_formed,
    event_id_of,
    inline_answer,
)
from adapters.slack.readiness import AuthCheck
from adapters.slack.settings import SlackSettings
from adapters.slack.socket_mode import SocketModeRunner
from adapters.slack.translate import (
    ACTION_PREFIX,
    FORM_CALLBACK_ID,
    PLATFORM,
    SlackUser,
    action_request,
    command_request,
    message_request,
    shortcut_request,
    thread_of,
)
from adapters.slack.workspaces import forget_workspace, left_channel
from adapters.web import READINESS_KEY, SHUTDOWN_KEY, bind_event
from bot.common.i18n import DEFAULT_LANGUAGE, Translator, language_from_locale
from bot.common.logsafe import log_failure
from bot.core.engine import Bot
from bot.core.reply import Reply

log = logging.getLogger("samverkan.slack")

# Seconds a slash command may take and still be answered in the acknowledgement (Slack: 3 s).
INLINE_BUDGET = 2.0


class SlackAdapter:
    """Owns the Bolt app, the Web API clients, the user cache and the Slack `Messenger`."""

    name = PLATFORM

    def __init__(
        self,
        bot: Bot,
        settings: SlackSettings,
        *,
        post_interval: float = 1.0,
        socket_check_seconds: float = 10.0,
    ) -> None:
        self.bot = bot
        self.settings = settings
        self.installations: CachedInstallationStore | None = (
            installation_store(settings, bot.database) if settings.oauth_enabled else None
        )
        self.client = make_client(
            settings.base_url, None if settings.oauth_enabled else settings.bot_token
        )
        self.users = UserDirectory(settings.allowed_teams)
        self.pacer = ChannelPacer(post_interval)
        self.messenger = SlackMessenger(self.client_for, self.pacer)
        self.verifier = (
            SignatureVerifier(settings.signing_secret) if settings.signing_secret else None
        )
        self._work = BackgroundWork()
        self.inline_budget = INLINE_BUDGET
        self.app = self._build_app()
        self.socket = (
            SocketModeRunner(
                self.app,
                str(settings.app_token),
                make_client(settings.base_url, None),
                check_seconds=socket_check_seconds,
            )
            if settings.socket_mode_enabled
            else None
        )
        bot.messengers[PLATFORM] = self.messenger

    # ----- wiring -------------------------------------------------------------------------

    def _page_words(self) -> Translator:
        """The install pages speak the bot's configured language (no user is known yet)."""
        language = language_from_locale(self.bot.settings.locale) or DEFAULT_LANGUAGE
        return self.bot.translator(language)

    def _build_app(self) -> AsyncApp:
        settings = self.settings
        flow = (
            build_oauth_flow(settings, self.bot.database, self.installations, self._page_words())
            if self.installations is not None
            else None
        )
        # Bolt's own authorization would ask Slack's `auth.test` on every request (authorize.py).
        authorize = (
            CachedAuthorize(
                self.installations,
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                client=self.client,
                logger=logging.getLogger(BOLT_LOGGER),
            )
            if self.installations is not None
            else None
        )
        app = AsyncApp(
            name=APP_NAME,
            logger=logging.getLogger(BOLT_LOGGER),
            signing_secret=settings.signing_secret or "",
            token=None,  # the client carries the bot token (single workspace) or none (OAuth)
            client=self.client,
            oauth_flow=flow,
            installation_store=self.installations,
            # Bolt takes an `AsyncAuthorize` here too, though its type hint names functions only.
            authorize=authorize,  # type: ignore[arg-type]
            process_before_response=True,
            before_authorize=self._allow_list,
            # `handle_http` checks the signature over the raw bytes before Bolt sees a request
            # (401, no effect); Socket Mode has no signature. Checking twice costs every request.
            request_verification_enabled=False,
            # An unhandled request reaches `_on_error` (a silent 200), not Bolt's warning,
            # which would log parts of the body and answer 404 (Slack then retries).
            raise_error_for_unhandled_request=True,
        )
        app.error(_on_error)
        _quiet_bolt_loggers()
        app.command(SLASH_COMMAND)(self._on_command)
        app.event("app_mention")(ack=_ack, lazy=[_guarded(self._on_mention)])
        app.event({"type": "message", "channel_type": "im"})(
            ack=_ack, lazy=[_guarded(self._on_direct)]
        )
        app.event("app_home_opened")(ack=_ack, lazy=[_guarded(self._on_home_opened)])
        app.event("app_uninstalled")(ack=_ack, lazy=[_guarded(self._on_uninstalled)])
        app.event("tokens_revoked")(ack=_ack, lazy=[_guarded(self._on_uninstalled)])
        app.event("member_left_channel")(ack=_ack, lazy=[_guarded(self._on_member_left)])
        app.event("message")(_ack)  # other message events (edits, channel chatter): nothing to do
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(
            ack=_ack, lazy=[_guarded(self._on_action)]
        )
        app.view(FORM_CALLBACK_ID)(self._on_submission)
        app.shortcut(DRAFT_FROM_MESSAGE)(ack=_ack, lazy=[_guarded(self._on_shortcut)])
        app.shortcut(NEW_DRAFT)(ack=_ack, lazy=[_guarded(self._on_shortcut)])
        return app

    def mount(self, app: web.Application) -> None:
        if self.settings.bot_token and not self.settings.oauth_enabled:
            # One workspace: its token must work. (With OAuth each workspace has its own.)
            app[READINESS_KEY].append(AuthCheck(self.client).readiness)
        if self.settings.http_enabled:
            app.router.add_post(EVENTS_PATH, self.handle_http)
            if self.installations is not None:
                app.router.add_get("/slack/install", self.handle_oauth)
                app.router.add_get("/slack/oauth_redirect", self.handle_oauth)
        if self.socket is not None:
            socket = self.socket
            app[READINESS_KEY].append(socket.readiness)

            async def start(_app: web.Application) -> None:
                await socket.start()

            async def stop(_app: web.Application) -> None:
                await socket.stop()

            app.on_startup.append(start)
            app.on_shutdown.append(stop)  # a stopping server takes no new Socket Mode events
        app[SHUTDOWN_KEY].drains.append(self.settle)

    async def client_for(self, team_id: str) -> AsyncWebClient:
        """The client for a workspace: the one bot token, or that workspace's installation."""
        if self.installations is None:
            return self.client
        found = await self.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if found is None or not found.bot_token:
            raise LookupError(f"no Slack installation for team {team_id}")
        return make_client(self.settings.base_url, found.bot_token)

    # ----- HTTP ---------------------------------------------------------------------------

    async def handle_http(self, request: web.Request) -> web.StreamResponse:
        """Verify first (401, nothing logged but the fact), then parse (400), then let Bolt run."""
        raw = await request.read()  # aiohttp answers 413 above the server's 1 MiB limit
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "malformed request"}, status=400)
        if not self._verified(text, request):
            log.info("refused a Slack request with a bad signature or timestamp")
            return web.json_response({"error": "invalid request"}, status=401)
        body = _well_formed(text, request.headers.get("Content-Type", ""))
        if body is None:
            log.info("refused a malformed Slack request")
            return web.json_response({"error": "malformed request"}, status=400)
        headers = _headers(request)
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
            response = await self.app.async_dispatch(bolt_request)
        except Exception as error:  # Bolt reading a body of a shape we did not foresee
            log_failure(log, "refused a Slack request Bolt could not read", error)
            return web.json_response({"error": "malformed request"}, status=400)
        return await to_aiohttp_response(response)

    def _verified(self, raw: str, request: web.Request) -> bool:
        """Slack's v0 signature over the exact bytes, and a timestamp at most 5 minutes off."""
        assert self.verifier is not None
        try:
            return self.verifier.is_valid(
                body=raw,
                timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
                signature=request.headers.get("X-Slack-Signature", ""),
            )
        except ValueError:  # a timestamp that is not a number
            return False

    async def handle_oauth(self, request: web.Request) -> web.StreamResponse:
        flow = self.app.oauth_flow
        assert flow is not None
        headers = _headers(request)
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=headers)
        if request.path == "/slack/install":
            response = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)

    # ----- middleware ---------------------------------------------------------------------

    async def _allow_list(
        self,
        context: AsyncBoltContext,
        body: dict[str, Any],
        ack: Callable[..., Awaitable[None]],
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        """Answer only allow-listed workspaces (with no list: the bot token's own workspace).

        Runs before Bolt's authorization, so a stranger's workspace gets no answer at all, not
        even Bolt's "please reinstall" message: an empty 200, so Slack does not retry. It is
        returned, not acknowledged: a middleware that neither calls `next()` nor returns a
        response makes Bolt log the whole request body at WARNING and answer 404.
        """
        bind_event(PLATFORM, event_id_of(body))  # HTTP and Socket Mode alike
        allowed = self.settings.allowed_teams
        if body.get("type") == "url_verification" or body.get("ssl_check"):
            await next()  # Slack checking the endpoint: no workspace involved
            return None
        if not allowed or is_allowed(allowed, context.team_id, context.enterprise_id):
            await next()
            return None
        log.info("ignored a request from team %s (not on SLACK_ALLOWED_TEAMS)", context.team_id)
        return BoltResponse(status=200, body="")

    # ----- listeners ----------------------------------------------------------------------

    async def _user(
        self, client: AsyncWebClient, context: AsyncBoltContext, user_id: str, team: str | None
    ) -> SlackUser:
        return await self.users.lookup(client, user_id, team, context.team_id or "")

    async def _command_replies(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> tuple[SlackUser, list[Reply]]:
        user = await self._user(client, context, body["user_id"], body.get("user_team_id"))
        return user, await self.bot.handle(command_request(body, user))

    async def _on_command(
        self,
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """Answer in the acknowledgement when the core is quick; else acknowledge and go on.

        Not a Bolt lazy listener: that copies the whole request for every command, although
        nearly every answer is ready long before the budget runs out.
        """
        work = asyncio.ensure_future(self._command_replies(body, client, context))
        done, _ = await asyncio.wait({work}, timeout=self.inline_budget)
        if work in done and work.exception() is None:
            answer = inline_answer(work.result()[1])
            if answer is not None and body.get("response_url"):
                await ack(**answer)
                return
        await ack()
        self._work.start(self._respond_later(work, body, client))

    async def _respond_later(
        self,
        work: asyncio.Future[tuple[SlackUser, list[Reply]]],
        body: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        """Send what did not fit in the acknowledgement (slow, several messages, or a form)."""
        user, replies = await work
        await Responder(
            client,
            self.pacer,
            user_id=user.user_id,
            channel_id=body["channel_id"],
            response_url=body.get("response_url"),
            trigger_id=body.get("trigger_id"),
            tz=self.bot.settings.tz,
        ).send(replies)

    async def _on_mention(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        self._work.track()
        await self._on_message(body, client, context)

    async def _on_direct(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        self._work.track()
        event = body["event"]
        if event.get("subtype") or event.get("bot_id"):
            return  # edits, deletions and bots' messages are not requests
        await self._on_message(body, client, context)

    async def _on_message(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        event = body["event"]
        team = event.get("user_team") or event.get("team")
        user = await self._user(client, context, event["user"], team)
        request = message_request(body, user, context.bot_user_id)
        replies = modals.forms_as_buttons(self.bot, request, await self.bot.handle(request))
        await Responder(
            client,
            self.pacer,
            user_id=user.user_id,
            channel_id=event["channel"],
            thread_ts=thread_of(event),
        ).send(replies)

    async def _on_action(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        self._work.track()
        who = body["user"]
        user = await self._user(client, context, who["id"], who.get("team_id"))
        channel_id = _channel_of(body)
        responder = Responder(
            client,
            self.pacer,
            user_id=user.user_id,
            channel_id=channel_id,
            response_url=body.get("response_url"),
            trigger_id=body.get("trigger_id"),
            tz=self.bot.settings.tz,
            thread_ts=thread_of(body.get("container") or {}),
        )
        for action in body.get("actions", []):
            replies = await self.bot.handle(action_request(body, action, user, channel_id))
            await responder.send(replies)

    async def _on_shortcut(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A shortcut opens the draft form, pre-filled with the message it was used on."""
        self._work.track()
        who = body["user"]
        user = await self._user(client, context, who["id"], who.get("team_id"))
        request = shortcut_request(body, user)
        channel = request.channel.channel_id
        await Responder(
            client,
            self.pacer,
            user_id=user.user_id,
            channel_id=channel,
            trigger_id=body.get("trigger_id"),
            tz=self.bot.settings.tz,
        ).send(await self.bot.handle(request))

    async def _on_submission(
        self,
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        who = body["user"]
        user = await self._user(client, context, who["id"], who.get("team_id"))

        async def look_up(user_id: str) -> SlackUser:
            return await self._user(client, context, user_id, None)

        await modals.submit(
            self.bot, ack, body, user, client, self.pacer, self._work.start, look_up
        )

    async def _on_home_opened(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        self._work.track()
        event = body["event"]
        if event.get("tab", "home") != "home":
            return
        user = await self._user(client, context, event["user"], None)
        await home.publish(self.bot, client, user, event.get("channel", ""))

    async def _on_uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        self._work.track()
        await forget_workspace(self.bot, self.installations, body, context)

    async def _on_member_left(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        self._work.track()
        await left_channel(self.bot, body, context)

    async def settle(self) -> None:
        """Wait until every piece of work started after an acknowledgement has finished."""
        await self._work.settle()
