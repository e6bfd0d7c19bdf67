"""Is Slack reachable with our token? A recent successful `auth.test` says so for `/readyz`.

A success is trusted for a minute, so a load balancer probing every few seconds does not
become a stream of Web API calls; a failure is not remembered, so the next probe asks again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("samverkan.slack.readiness")

READINESS_NAME = "slack"
FRESH_SECONDS = 60.0


class AuthCheck:
    """`auth.test` with the bot token, its last success kept for `fresh_for` seconds."""

    def __init__(
        self,
        client: AsyncWebClient,
        fresh_for: float = FRESH_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.fresh_for = fresh_for
        self.now = now
        self._succeeded_at: float | None = None

    async def readiness(self) -> tuple[str, bool]:
        if self._succeeded_at is not None and self.now() - self._succeeded_at < self.fresh_for:
            return READINESS_NAME, True
        try:
            await self.client.auth_test()
        except Exception as error:
            log.warning("readiness: Slack auth.test failed: %s", error)
            return READINESS_NAME, False
        self._succeeded_at = self.now()
        return READINESS_NAME, True
