"""Outbound calls to the Bot Framework connector over one pool of keep-alive connections.

botbuilder's own connector client sends every reply through msrest and `requests` in a thread
pool: a new TCP connection per reply and most of a turn's CPU spent in msrest's retry policy.
Here botbuilder keeps parsing, authentication and the turn model; only the object it asks its
connector factory for is ours. It offers the `conversations` operations the adapter and
`TeamsInfo` use, over a few long-lived connections per service URL, with the bot's token
cached until shortly before it expires. The session keeps `trust_env=True`, so the HTTPS_PROXY
that municipal networks require applies; connector calls carry the proxy the environment gave
for their origin, read once (see `PooledConnector.route`). Retrying 429/5xx stays in the
messenger, which sees a `ConnectorError` with the status.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from botbuilder.schema import (
    Activity,
    ConversationParameters,
    ConversationResourceResponse,
    ResourceResponse,
)
from botbuilder.schema.teams import TeamsChannelAccount
from botframework.connector.auth import ConnectorFactory
from yarl import URL

from adapters.teams.credentials import BotTokens
from adapters.teams.settings import TeamsSettings
from adapters.teams.wire import from_json, to_json

# The audience (scope) of tokens for the public Bot Framework connector.
BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com"
# A token is renewed this many seconds before Microsoft says it expires.
EXPIRY_MARGIN = 300.0
USER_AGENT = "Samverkansboten (aiohttp)"
# Connections kept to one Bot Framework service URL, and how long a call waits for a busy one
# before another is opened (see PooledConnector).
PER_SERVICE = 4
PATIENCE = 0.5


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
    """The bot's own access token per audience, fetched once and renewed only near expiry.

    The one cache of the bot's tokens (msal's own is switched off, see credentials.py).
    """

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
        # msal, with the secret, certificate or managed identity the settings name.
        self.source = BotTokens(settings)
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
        return await self.source.fetch(audience)


@dataclass
class Route:
    """How to reach one origin: the environment's proxy (None: directly), and its lane.

    The lane is held by the call that has the origin's first connection; others wait for it
    up to `PATIENCE` before the pool lends them another (see `PooledConnector.request`).
    """

    proxy: URL | None = None
    proxy_auth: aiohttp.BasicAuth | None = None
    lane: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))


class PooledConnector(ConnectorFactory):  # type: ignore[misc]
    """botbuilder's connector factory, answering with clients that share one connection pool.

    At most `per_service` connections to one origin (a Bot Framework service URL) are kept
    alive, and a call waits up to `patience` for a busy one before the pool opens another
    (see `_lane`): one connection carries the replies unless the connector is slow to answer.
    """

    def __init__(
        self,
        settings: TeamsSettings,
        *,
        limit: int = 64,
        per_service: int = PER_SERVICE,
        patience: float = PATIENCE,
    ) -> None:
        self.settings = settings
        self.limit = limit
        self.per_service = per_service
        self.patience = patience
        self._session: aiohttp.ClientSession | None = None
        self._routed: aiohttp.ClientSession | None = None
        self.tokens = TokenCache(settings, self.session)
        self.routes: dict[tuple[str, str | None, int | None], Route] = {}
        self._resolving = asyncio.Lock()

    def session(self) -> aiohttp.ClientSession:
        """The session that follows the environment (`trust_env`), made on first use.

        It needs the running event loop, so it is made lazily; a sibling session on the same
        pool carries the connector calls, each with the route the environment gave for its
        origin (see `route`).
        """
        if self._session is None or self._session.closed:
            pool = aiohttp.TCPConnector(
                limit=self.limit, limit_per_host=self.per_service, keepalive_timeout=60
            )
            timeout = aiohttp.ClientTimeout(total=30)
            headers = {"User-Agent": USER_AGENT}
            self._session = aiohttp.ClientSession(
                connector=pool, timeout=timeout, trust_env=True, headers=headers
            )
            self._routed = aiohttp.ClientSession(
                connector=pool, connector_owner=False, timeout=timeout, headers=headers
            )
        return self._session

    def routed(self) -> aiohttp.ClientSession:
        """The sibling session for calls whose proxy is passed explicitly (same pool)."""
        self.session()
        assert self._routed is not None
        return self._routed

    async def route(self, url: URL) -> Route:
        """The environment's proxy for the URL's origin, read once per origin.

        aiohttp's own rule decides (HTTP(S)_PROXY, NO_PROXY, .netrc credentials for the
        proxy). With `trust_env` aiohttp reads all that again for every request, in two
        worker-thread jobs (the proxy, and .netrc credentials for the target host): about 1 ms
        of CPU per reply on the benchmark machine. A proxy passed explicitly is used as given,
        so connector calls go through the sibling session with this answer. .netrc credentials
        for the connector host itself are not wanted there: beside our bearer token aiohttp
        refuses the request, and the Emulator asks for none. The environment of a running
        process does not change.
        """
        key = (url.scheme, url.host, url.port)
        found = self.routes.get(key)
        if found is None:
            async with self._resolving:  # the first calls to an origin all get one route
                found = self.routes.get(key)
                if found is None:
                    try:
                        proxy, auth = await asyncio.to_thread(get_env_proxy_for_url, url)
                        found = Route(proxy, auth)
                    except LookupError:  # no proxy for this origin, or NO_PROXY names it
                        found = Route()
                    self.routes[key] = found
        return found

    async def close(self) -> None:
        if self._routed is not None:
            await self._routed.close()  # not the pool's owner: leaves the pool open
            self._routed = None
        if self._session is not None:
            await self._session.close()  # closes the pool
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
        target = URL(url)
        route = await self.route(target)
        async with (
            _lane(route.lane, self.patience),
            self.routed().request(
                method,
                target,
                json=body,
                headers=headers,
                proxy=route.proxy,
                proxy_auth=route.proxy_auth,
            ) as response,
        ):
            if response.status >= 300:
                text = await response.text()
                raise ConnectorError(response.status, dict(response.headers), text)
            if response.content_length == 0:
                return None
            return await response.json(content_type=None)


@asynccontextmanager
async def _lane(lane: asyncio.Semaphore, patience: float) -> AsyncIterator[None]:
    """Wait up to `patience` for the call ahead to free the connection it is using.

    A call that finds every pooled connection busy makes aiohttp open another, even when the
    busy one would be free a moment later; and since aiohttp lends idle connections oldest
    first, each one a momentary overlap opened stays in use for good. Replies on one origin
    overlap whenever two turns answer in the same loop iteration, which is most of the time
    under load. Waiting briefly for the connection ahead keeps them on one; a connector slower
    than `patience` still gets more, up to `per_service`.
    """
    held = True
    try:
        if lane.locked():
            async with asyncio.timeout(patience):
                await lane.acquire()
        else:
            await lane.acquire()
    except TimeoutError:
        held = False
    try:
        yield
    finally:
        if held:
            lane.release()


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
        return from_json(ConversationResourceResponse, found or {})

    async def get_conversation_member(
        self, conversation_id: str, member_id: str
    ) -> TeamsChannelAccount:
        found = await self._call("GET", f"/{_part(conversation_id)}/members/{_part(member_id)}")
        return from_json(TeamsChannelAccount, found or {})
