"""The remote ends of Teams, played on 127.0.0.1: the Bot Framework connector and the
OpenID metadata + JWKS that publish the signing key of inbound tokens.

The connector records every call and checks every card it is sent against the official
Adaptive Card 1.5 schema, so no test can pass with a card Teams would refuse.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from jsonschema import Draft6Validator

from manifest import load_schema
from tests.a11y.collect import record_card

# Teams activities as Teams sends them (see tests/fixtures/README.md).
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "teams"

CARD_TYPE = "application/vnd.microsoft.card.adaptive"

_card_validators = {
    "1.5": Draft6Validator(load_schema("adaptive-card-1.5.schema.json")),
    # Only cards with Teams' people search declare 1.6 (see manifest/schemas/SOURCES.md).
    "1.6": Draft6Validator(load_schema("adaptive-card-1.6.schema.json")),
}


def card_errors(card: dict[str, Any]) -> list[str]:
    """The schema's complaints about a card, checked against the version it declares."""
    validator = _card_validators.get(str(card.get("version")))
    if validator is None:
        return [f"version {card.get('version')!r} is neither 1.5 nor 1.6"]
    return [error.message for error in validator.iter_errors(card)]


def sample(name: str, service_url: str, **changes: Any) -> dict[str, Any]:
    """A recorded Teams activity, pointed at our fake connector."""
    activity: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    activity["serviceUrl"] = service_url
    activity.update(changes)
    return activity


@dataclass
class Call:
    method: str
    path: str
    conversation: str
    body: dict[str, Any] | None
    authorization: str | None
    answered_id: str | None = None  # the id the fake gave the message it created

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = (self.body or {}).get("attachments") or []
        return [a["content"] for a in attachments if a.get("contentType") == CARD_TYPE]

    @property
    def text(self) -> str:
        """The texts of the call's cards as Teams would draw them, one per line."""
        return "\n".join(card_texts(self.cards))


@dataclass
class FakeConnector:
    """Answers the Bot Framework connector routes the bot uses; fails on request."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    invalid_cards: list[str] = field(default_factory=list)
    counter: int = 0
    # Every TCP connection the bot opened to us (a connection's protocol object is kept).
    connections: set[object] = field(default_factory=set)
    # The bot's token requests (form fields), and the lifetime the fake grants each token.
    token_requests: list[dict[str, str]] = field(default_factory=list)
    token_lifetime: int = 3600
    proxied: list[str] = field(default_factory=list)
    # Awaited with each recorded call before it is answered (to look at the bot's state then).
    on_call: Callable[[Call], Awaitable[None]] | None = None
    # Seconds each answer takes, as a distant connector's would.
    delay: float = 0.0

    def fail(self, kind: str, status: int, times: int = 1, **headers: str) -> None:
        """Make the next `times` calls of a kind (send, reply, update, create) fail."""
        self.failures.setdefault(kind, []).extend([(status, headers)] * times)

    def of(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.method == kind]

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._count_connection])
        app.router.add_post("/token", self._token)
        base = "/v3/conversations"
        app.router.add_post(base, self._create)
        app.router.add_post(base + "/{cid}/activities", self._send)
        app.router.add_post(base + "/{cid}/activities/{aid}", self._reply)
        app.router.add_put(base + "/{cid}/activities/{aid}", self._update)
        app.router.add_get(base + "/{cid}/members/{mid}", self._member)
        return app

    @web.middleware
    async def _count_connection(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.connections.add(request.protocol)
        if request.url.host not in ("127.0.0.1", "localhost"):
            self.proxied.append(str(request.url))  # absolute-form: we were asked as a proxy
        response: web.StreamResponse = await handler(request)
        return response

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_requests.append(form)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "access_token": f"token-{len(self.token_requests)}",
            }
        )

    async def _record(self, kind: str, request: web.Request) -> web.Response | None:
        body = await request.json() if request.can_read_body else None
        call = Call(
            kind,
            request.path,
            request.match_info.get("cid", ""),
            body,
            request.headers.get("Authorization"),
        )
        self.calls.append(call)
        for card in call.cards:
            self.invalid_cards.extend(card_errors(card))
            record_card(card, f"connector {kind}")  # for the accessibility checks (tests/a11y)
        if self.on_call is not None:
            await self.on_call(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        queue = self.failures.get(kind)
        if queue:
            status, headers = queue.pop(0)
            return web.json_response(
                {"error": {"code": "Failure", "message": f"fake {status}"}},
                status=status,
                headers=headers,
            )
        return None

    def _next_id(self) -> str:
        self.counter += 1
        return f"msg-{self.counter}"

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record("send", request) or self._created()

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record("reply", request) or self._created()

    def _created(self) -> web.Response:
        self.calls[-1].answered_id = self._next_id()
        return web.json_response({"id": self.calls[-1].answered_id})

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record("update", request) or web.json_response(
            {"id": request.match_info["aid"]}
        )

    async def _create(self, request: web.Request) -> web.Response:
        failed = await self._record("create", request)
        if failed:
            return failed
        body = self.calls[-1].body or {}
        member = body["members"][0]["id"]
        return web.json_response({"id": f"a:direct-{member}", "activityId": self._next_id()})

    async def _member(self, request: web.Request) -> web.Response:
        failed = await self._record("member", request)
        if failed:
            return failed
        wanted = request.match_info["mid"]
        # Teams finds a member by their Teams id or by their AAD object id.
        member = self.members.get(wanted) or next(
            (m for m in self.members.values() if m.get("aadObjectId") == wanted), None
        )
        if member is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(member)


class ThreadedServer:
    """An aiohttp app on 127.0.0.1 in its own thread and loop.

    botbuilder fetches signing keys with blocking `requests` calls from inside the event
    loop, so the server that answers them cannot share that loop.
    """

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        self.port = 0
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def openid_app(jwks: dict[str, Any], calls: list[str]) -> web.Application:
    """Microsoft's OpenID metadata document and key set, with our own key in it."""

    async def metadata(request: web.Request) -> web.Response:
        calls.append("metadata")
        base = f"http://{request.host}"
        return web.json_response(
            {"issuer": "https://api.botframework.com", "jwks_uri": base + "/keys"}
        )

    async def keys(_request: web.Request) -> web.Response:
        calls.append("keys")
        return web.json_response(jwks)

    app = web.Application()
    app.router.add_get("/v1/.well-known/openidconfiguration", metadata)
    app.router.add_get("/keys", keys)
    return app


def iter_cards(value: Any) -> Iterator[dict[str, Any]]:
    """Every Adaptive Card inside an invoke response body."""
    if isinstance(value, dict):
        if value.get("type") == "AdaptiveCard":
            yield value
        for inner in value.values():
            yield from iter_cards(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from iter_cards(inner)


def card_texts(value: Any) -> Iterator[str]:
    """The visible texts of cards: text blocks, facts, inputs' labels, buttons' titles."""
    if isinstance(value, dict):
        for key in ("text", "title", "value", "label"):
            if isinstance(value.get(key), str):
                yield value[key]
        for key, inner in value.items():
            if key != "data":
                yield from card_texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from card_texts(inner)
