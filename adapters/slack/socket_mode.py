"""Socket Mode: Slack connects out from us, for organisations the internet cannot reach.

The aiohttp Socket Mode client is known to stall without noticing, so a watchdog checks the
connection and reconnects when it has been down for two checks in a row; `/readyz` reports
the connection's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

log = logging.getLogger("samverkan.slack.socket_mode")

READINESS_NAME = "slack_socket_mode"


class SocketModeRunner:
    """Connects in the background (startup never waits for Slack) and keeps the link alive."""

    def __init__(
        self,
        app: AsyncApp,
        app_token: str,
        web_client: AsyncWebClient,
        check_seconds: float = 10.0,
        ping_seconds: float = 10.0,
    ) -> None:
        # Imported only when Socket Mode is on: its client is two dozen modules a server
        # answering Slack over HTTP never uses.
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self.handler: AsyncSocketModeHandler = AsyncSocketModeHandler(
            app,
            app_token,
            logger=logging.getLogger("samverkan.slack.socket_client"),
            web_client=web_client,
            ping_interval=ping_seconds,
        )
        self.check_seconds = check_seconds
        self.reconnects = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="slack-socket-mode")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.handler.close_async()  # type: ignore[no-untyped-call]

    async def connected(self) -> bool:
        return bool(await self.handler.client.is_connected())

    async def readiness(self) -> tuple[str, bool]:
        return READINESS_NAME, await self.connected()

    async def _run(self) -> None:
        await self.handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack Socket Mode connected")
        down = 0
        while True:
            await asyncio.sleep(self.check_seconds)
            if await self.connected():
                down = 0
                continue
            down += 1
            if down < 2:
                continue
            log.warning("Slack Socket Mode connection is down; reconnecting")
            self.reconnects += 1
            try:
                await self.handler.client.connect_to_new_endpoint(force=True)
            except Exception:
                log.exception("Slack Socket Mode reconnect failed; will try again")
            down = 0
