"""Outbound calls to the Bot Framework connector over one pooled aiohttp session.

botbuilder's own connector client sends every reply through msrest and `requests` in a thread
pool: a new TCP connection per reply and most of a turn's CPU spent in msrest's retry policy.
Here botbuilder keeps parsing, authentication and the turn model; only the object it asks its
connector factory for is ours. It offers the `conversations` operations the adapter and
`TeamsInfo` use, on one long-lived `ClientSession` (`trust_env=True`, so the HTTPS_PROXY that
municipal networks require applies), with the bot's token cached until shortly before it
expires. Retrying 429/5xx stays in the messenger, which sees a `ConnectorError` with the status.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.schema import (
    Activity,
    ConversationParameters,
    ConversationResourceResponse,
    ResourceResponse,
)
from botbuilder.schema.teams import TeamsChannelAccount
from botframework.connector.auth import ConnectorFactory

from adapters.teams.settings import TeamsSettings
from adapters.teams.wire import to_json

# The audience (scope) of tokens for the public Bot Framework connector.
BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com"
# A token is renewed this many seconds before Microsoft says it expires.
EXPIRY_MARGIN = 300.0
USER_AGENT = "Samverkansboten (aiohttp)"


@dataclass
class ConnectorResponse:
    """What the messenger's retry reads from a failed call: the status and the headers."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)


class ConnectorError(Exception):
    """The connector answered with an error status (the body is kept for the log)."""

    def __init__(self, status: int, headers: dict[str, str], body: str) -> None:
        super().__init__(f"Bot Framework connector answered {status}: {body[:200]}")
        self.response = ConnectorResponse(status, headers)


class TokenCache:
    """The bot's own access token per audience, fetched once and renewed only near expiry."""

    def __init__(
        self,
        settings: TeamsSettings,
        session: Callable[[], aiohttp.ClientSession],
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.session = session
        self.now = now
        self.tokens: dict[str, tuple[str, float]] = {}
        self.fetches = 0
        self._lock = asyncio.Lock()

    async def token(self, audience: str) -> str | None:
        """A valid token for the audience; None in local mode, where nothing is signed."""
        if self.settings.local_mode:
            return None
        cached = self.tokens.get(audience)
        if cached is not None and cached[1] > self.now():
            return cached[0]
        async with self._lock:  # one fetch for all the turns that found it expired
            cached = self.tokens.get(audience)
            if cached is not None and cached[1] > self.now():
                return cached[0]
            token, lifetime = await self._fetch(audience)
            self.tokens[audience] = (token, self.now() + max(lifetime - EXPIRY_MARGIN, 0.0))
            return token

    async def _fetch(self, audience: str) -> tuple[str, float]:
        self.fetches += 1
        form = {
            "grant_type": "client_credentials",
            "client_id": self.settings.app_id,
            "client_secret": self.settings.app_password.get_secret_value(),
            "scope": audience.rstrip("/") + "/.default",
        }
        async with self.session().post(self.settings.token_endpoint, data=form) as response:
            text = await response.text()
            if response.status != 200:
                raise ConnectorError(response.status, dict(response.headers), text)
            body = await response.json(content_type=None)
        return str(body["access_token"]), float(body.get("expires_in", 3600))


class PooledConnector(ConnectorFactory):  # type: ignore[misc]
    """botbuilder's connector factory, answering with clients that share one session."""

    def __init__(self, settings: TeamsSettings, *, limit: int = 64) -> None:
        self.settings = settings
        self.limit = limit
        self._session: aiohttp.ClientSession | None = None
        self.tokens = TokenCache(settings, self.session)

    def session(self) -> aiohttp.ClientSession:
        """The one session, made on first use (it needs the running event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.limit, keepalive_timeout=60),
                timeout=aiohttp.ClientTimeout(total=30),
                trust_env=True,
                headers={"User-Agent": USER_AGENT},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return ConnectorClient(self, service_url, audience or BOT_FRAMEWORK_AUDIENCE)

    async def request(
        self, method: str, url: str, audience: str, body: dict[str, Any] | None = None
    ) -> Any:
        """One call; the JSON answer, or ConnectorError for any status from 300 on."""
        headers: dict[str, str] = {}
        token = await self.tokens.token(audience)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.session().request(method, url, json=body, headers=headers) as response:
            if response.status >= 300:
                text = await response.text()
                raise ConnectorError(response.status, dict(response.headers), text)
            if response.content_length == 0:
                return None
            return await response.json(content_type=None)


class ConnectorClient:
    """Stands in for botframework's ConnectorClient where botbuilder looks it up."""

    def __init__(self, pool: PooledConnector, service_url: str, audience: str) -> None:
        self.pool = pool
        self.base_url = service_url.rstrip("/") + "/v3/conversations"
        self.audience = audience
        self.conversations = Conversations(self)


def _part(value: str) -> str:
    return quote(value, safe="")


def _resource(found: Any) -> ResourceResponse:
    """The connector's `{"id": …}` answer; its only field, without msrest's deserializer."""
    found_id = found.get("id") if isinstance(found, dict) else None
    return ResourceResponse(id=None if found_id is None else str(found_id))


class Conversations:
    """The connector's conversation operations that botbuilder and TeamsInfo call."""

    def __init__(self, client: ConnectorClient) -> None:
        self.client = client

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        url = self.client.base_url + path
        return await self.client.pool.request(method, url, self.client.audience, body)

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        found = await self._call("POST", f"/{_part(conversation_id)}/activities", to_json(activity))
        return _resource(found)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        path = f"/{_part(conversation_id)}/activities/{_part(activity_id)}"
        return _resource(await self._call("POST", path, to_json(activity)))

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        path = f"/{_part(conversation_id)}/activities/{_part(activity_id)}"
        return _resource(await self._call("PUT", path, to_json(activity)))

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        await self._call("DELETE", f"/{_part(conversation_id)}/activities/{_part(activity_id)}")

    async def create_conversation(
        self, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        found = await self._call("POST", "", to_json(parameters))
        return ConversationResourceResponse().deserialize(found or {})

    async def get_conversation_member(
        self, conversation_id: str, member_id: str
    ) -> TeamsChannelAccount:
        found = await self._call("GET", f"/{_part(conversation_id)}/members/{_part(member_id)}")
        return TeamsChannelAccount().deserialize(found or {})
