"""A graceful stop: work a request started finishes within a grace period before the exit.

aiohttp stops accepting connections and waits for the requests in flight; what those requests
left running after their answer (Slack's lazy listeners and slow commands, a Teams action's
late answer) and the dispatcher's send in progress are not requests, so each registers a
*drain* here, and the server awaits them all, within what is left of the grace, before it
closes the platform clients and the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger("samverkan.shutdown")

Drain = Callable[[], Awaitable[None]]

DEFAULT_GRACE_SECONDS = 25.0


class Shutdown:
    """The grace period's clock and the drains to await before the server's clean-up."""

    def __init__(self, grace: float = DEFAULT_GRACE_SECONDS) -> None:
        self.grace = grace
        self.drains: list[Drain] = []
        self._deadline: float | None = None

    def begin(self) -> None:
        """The stop was asked for: the grace period runs from now."""
        if self._deadline is None:
            self._deadline = asyncio.get_running_loop().time() + self.grace

    def remaining(self) -> float:
        if self._deadline is None:
            return self.grace
        return max(self._deadline - asyncio.get_running_loop().time(), 0.0)

    async def drain(self, _app: web.Application | None = None) -> None:
        """Await every drain until the grace period ends; what is still running is cancelled."""
        self.begin()
        tasks = [asyncio.ensure_future(drain()) for drain in self.drains]
        if not tasks:
            return
        done, pending = await asyncio.wait(tasks, timeout=self.remaining())
        for task in pending:
            task.cancel()
        if pending:
            log.warning(
                "shutdown: %d piece(s) of work did not finish within %.0f s and were stopped",
                len(pending),
                self.grace,
            )
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("shutdown: work failed while finishing", exc_info=task.exception())
        await asyncio.gather(*pending, return_exceptions=True)
