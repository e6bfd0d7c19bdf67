"""POST /api/messages: botbuilder's CloudAdapter behind our own aiohttp glue.

Two things in botbuilder 4.17.1's `CloudAdapter.process` are replaced here:
- it serialises an invoke response's body a second time, which fails for every invoke that
  carries a body (every `Action.Execute`), so Teams would get HTTP 500: we write the body
  exactly as the handler built it;
- authentication failures surface as 500 or AttributeError when Microsoft's signing keys
  cannot be fetched or the header is malformed: we authenticate first and answer 401 to any
  failure, before anything of the bot runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from msrest.serialization import Model
from yarl import URL

from adapters.teams.channel_tokens import METADATA_URL, ChannelTokens, SigningKeys
from adapters.teams.connector import PooledConnector
from adapters.teams.credentials import credentials_factory as bot_credentials_factory
from adapters.teams.settings import TeamsSettings, is_loopback
from adapters.teams.wire import from_json
from adapters.web import bind_event
from bot.common.logsafe import log_failure
from bot.common.untrusted import parse_json

log = logging.getLogger("samverkan.teams.transport")

TurnHandler = Callable[[TurnContext], Awaitable[None]]


class _BotConfig:
    """The attribute names botbuilder's configuration classes look for."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password.get_secret_value()
        # Without an app id botbuilder only allows the "authentication disabled" kind.
        self.APP_TYPE = settings.app_type if settings.app_id else "MultiTenant"
        self.APP_TENANTID = settings.tenant_id
        if settings.openid_metadata_url:
            # Any parameterised setting switches botbuilder to spelling out the public cloud.
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = (
                AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
            )
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = (
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
                + (settings.tenant_id or "botframework.com")
            )
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = (
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            )
            self.CALLER_ID = CallerIdConstants.public_azure_channel


def tenant_of(activity: Activity) -> str | None:
    """The tenant an activity comes from: the conversation's, else the channel data's."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    data = activity.channel_data or {}
    tenant = data.get("tenant") if isinstance(data, dict) else None
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    return None


class PooledAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, handing out our pooled connector instead of msrest's."""

    def __init__(
        self,
        settings: TeamsSettings,
        connectors: PooledConnector,
        credentials_factory: ServiceClientCredentialsFactory | None,
    ) -> None:
        super().__init__(_BotConfig(settings), credentials_factory=credentials_factory)
        self.connectors = connectors
        self._user_token_client: UserTokenClient | None = None
        # Our own check of channel tokens (see channel_tokens.py); None in local mode.
        self.tokens: ChannelTokens | None = None
        if not settings.local_mode:
            keys = SigningKeys(settings.openid_metadata_url or METADATA_URL, connectors.session)
            self.tokens = ChannelTokens(settings.app_id, keys)

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        if self.tokens is None:  # local mode: botbuilder's anonymous identity
            result = await super().authenticate_request(activity, auth_header)
        else:
            claims = await self.tokens.check(auth_header, activity.channel_id, activity.service_url)
            result = AuthenticateRequestResult()
            result.claims_identity = ClaimsIdentity(claims, True)
            result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            result.caller_id = CallerIdConstants.public_azure_channel
        if result is not None:
            result.connector_factory = self.connectors
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self.connectors

    async def create_user_token_client(
        self, claims_identity: ClaimsIdentity
    ) -> UserTokenClient | None:
        """One user token client for the process, not one per turn.

        botbuilder builds a new msrest client for every turn, and msrest's `requests` retry
        set-up alone costs milliseconds of CPU; the bot never signs users in, but botbuilder
        puts the client on each turn, so it is made once, when first asked for.
        """
        if self._user_token_client is None:
            self._user_token_client = await super().create_user_token_client(claims_identity)
        return self._user_token_client


class TeamsTransport:
    """Authenticates and routes Bot Framework activities; knows nothing of our commands."""

    def __init__(
        self,
        settings: TeamsSettings,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
    ) -> None:
        self.settings = settings
        self.connectors = PooledConnector(settings)
        self.authentication = PooledAuthentication(
            settings, self.connectors, credentials_factory or bot_credentials_factory(settings)
        )
        self.cloud_adapter = CloudAdapter(self.authentication)
        self.cloud_adapter.on_turn_error = self._on_turn_error

    async def _on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        log_failure(log, "Teams turn failed for activity %s", error, turn_context.activity.id)

    async def process(self, request: web.Request, on_turn: TurnHandler) -> web.Response:
        """One HTTP request from the Bot Framework service → at most one JSON response."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.Response(status=415)
        try:
            body = parse_json(await request.read())  # depth-limited: no RecursionError
            activity = from_json(Activity, body)
        except Exception:
            return web.Response(status=400)
        if not _addressed(activity):
            return web.Response(status=400)
        bind_event("teams", activity.id)  # every later line of this request carries it

        header = request.headers.get("Authorization")
        if self.settings.local_mode:
            # Nothing to check a token against: so only this machine may talk to the bot, and
            # it answers only to a connector on this machine, never to a serviceUrl elsewhere.
            service_host = URL(str(activity.service_url or "")).host
            if not (is_loopback(request.remote) and is_loopback(service_host)):
                log.warning(
                    "Teams local mode: refused an activity from %s for serviceUrl host %s "
                    "(only loopback addresses are answered)",
                    request.remote,
                    service_host,
                )
                return web.Response(status=403)
            header = None
        elif not header:
            log.warning("Teams request without a token refused")
            return web.Response(status=401)
        try:
            authenticated = await self.authentication.authenticate_request(activity, header)
            if authenticated is None or authenticated.claims_identity is None:
                raise PermissionError("no identity")
        except Exception as error:
            log.warning("Teams request refused: %s: %s", type(error).__name__, error)
            return web.Response(status=401)

        tenant = tenant_of(activity)
        if not self.settings.tenant_allowed(tenant):
            log.warning("Teams activity from tenant %s ignored (not allowed)", tenant)
            return web.Response(status=200)

        invoke_response = await self.cloud_adapter.process_activity(
            authenticated, activity, on_turn
        )
        if invoke_response is None:
            return web.Response(status=201)
        return _invoke_http_response(invoke_response.status, invoke_response.body)


def _addressed(activity: Activity) -> bool:
    """Every activity the service sends says what it is, from whom, to whom and where."""
    parts = (activity.conversation, activity.from_property, activity.recipient)
    return bool(activity.type) and all(part is not None and part.id for part in parts)


def _invoke_http_response(status: int | None, body: Any) -> web.Response:
    """The invoke response's body as built: a dict stays a dict, a model is serialised once."""
    if isinstance(body, Model):
        body = body.serialize()  # type: ignore[no-untyped-call]
    if body is None:
        return web.Response(status=status or 200)
    return web.json_response(body, status=status or 200)
