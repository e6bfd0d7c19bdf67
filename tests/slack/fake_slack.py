"""A fake of Slack's side of the network: the Web API, response_url and the Socket Mode socket.

It runs on 127.0.0.1 only, answers the methods the bot calls, records every call, and refuses
Block Kit payloads that break Slack's limits, so every test also checks rendering.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from tests.a11y.collect import record_slack
from tests.slack.limits import block_kit_problems

BOT_USER = "U0BOTUSER01"
BOT_ID = "B0BOTID0001"
TEAM = "T0A1B2C3D4"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class Workspace:
    team_id: str
    bot_token: str
    team_name: str = "Arbetsyta"


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # by OAuth code
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # posted to response_url
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    rate_limit_next: dict[str, int] = field(default_factory=dict)  # method → 429s to give
    removed_from: set[str] = field(default_factory=set)  # channels answering not_in_channel
    uploaded: dict[str, bytes] = field(default_factory=dict)  # file id → the bytes sent
    server: TestServer | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/ws", self._socket)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self.server is not None:
            await self.server.close()

    # ----- what tests look at -------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0) -> None:
        """Wait (generously) for something the bot does in the background; fail if it never does."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError("the bot never did what the test waited for")
            await asyncio.sleep(0.01)

    # ----- Web API ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or args.get("token")
        self.calls.append(Call(method, args, token))
        record_slack(args, method)  # for the accessibility checks (tests/a11y)
        if self.rate_limit_next.get(method, 0) > 0:
            self.rate_limit_next[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        problems = block_kit_problems(args)
        if problems:
            return web.json_response({"ok": False, "error": "invalid_blocks", "why": problems})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": True})
        return web.json_response(handler(args, token))

    def _team_of(self, token: str | None) -> str:
        for workspace in self.workspaces.values():
            if workspace.bot_token == token:
                return workspace.team_id
        return TEAM

    def _m_auth_test(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://acme.slack.com/",
            "team": "Acme",
            "user": "samverkansboten",
            "team_id": self._team_of(token),
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
        }

    def _m_users_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.users.get(args.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_chat_postMessage(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if args.get("channel") in self.removed_from:
            return {"ok": False, "error": "not_in_channel"}
        ts = f"1764147600.{next(self._ts):06d}"
        return {"ok": True, "channel": args.get("channel"), "ts": ts}

    def _m_chat_postEphemeral(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"1764147600.{next(self._ts):06d}"}

    def _m_files_getUploadURLExternal(
        self, args: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        file_id = f"F{next(self._ts):09d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}

    def _m_files_completeUploadExternal(
        self, args: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        listed = args.get("files")
        files = json.loads(listed) if isinstance(listed, str) else listed or []
        missing = [f["id"] for f in files if f["id"] not in self.uploaded]
        if missing:
            return {"ok": False, "error": "file_not_found", "missing": missing}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    async def _upload(self, request: web.Request) -> web.Response:
        """Step two of the upload: the bytes, posted to the URL step one gave."""
        self.uploaded[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - " + str(len(self.uploaded)))

    def _m_chat_update(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}

    def _m_conversations_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": "D" + str(args.get("users", ""))[1:]}}

    def _m_views_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V0MODAL0001", **_as_dict(args.get("view"))}}

    def _m_views_publish(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V0HOME00001", **_as_dict(args.get("view"))}}

    def _m_apps_connections_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http://", "ws://") + "/ws"}

    def _m_oauth_v2_access(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        workspace = self.workspaces.get(args.get("code", ""))
        if workspace is None:
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True,
            "app_id": "A0789MNOPQR",
            "authed_user": {"id": "U0INSTALLER"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": workspace.bot_token,
            "bot_user_id": BOT_USER,
            "team": {"id": workspace.team_id, "name": workspace.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # ----- response_url -------------------------------------------------------------------

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_url"] = request.match_info["name"]
        self.responses.append(body)
        record_slack({k: v for k, v in body.items() if k != "_url"}, "response_url")
        problems = block_kit_problems(body)
        if problems:
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    # ----- Socket Mode --------------------------------------------------------------------

    def deliver(self, envelope: dict[str, Any]) -> None:
        self._envelopes.put_nowait(envelope)

    @property
    def socket_count(self) -> int:
        return len(self._sockets)

    async def drop_sockets(self) -> None:
        for socket in self._sockets:
            await socket.close()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        sender = asyncio.create_task(self._send_envelopes(socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
                    record_slack(self.socket_acks[-1].get("payload") or {}, "socket ack")
        finally:
            sender.cancel()
        return socket

    async def _send_envelopes(self, socket: web.WebSocketResponse) -> None:
        while not socket.closed:
            envelope = await self._envelopes.get()
            await socket.send_json(envelope)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value or {})
