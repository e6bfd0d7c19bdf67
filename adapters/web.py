"""The seam between the shared web server and the platform adapters that mount routes on it.

Adapters import this module, never the server that assembles them (`app/server.py`), so no
adapter depends on the composition root or on another adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

import structlog
from aiohttp import web

from adapters.shutdown import Shutdown
from bot.core.engine import Bot

# A named check an adapter adds to `/readyz`: (name, ready?).
ReadinessCheck = Callable[[], Awaitable[tuple[str, bool]]]

BOT_KEY = web.AppKey("bot", Bot)
READINESS_KEY = web.AppKey("readiness", list[ReadinessCheck])
# Where adapters register the work that must finish before the process exits.
SHUTDOWN_KEY = web.AppKey("shutdown", Shutdown)


class WebAdapter(Protocol):
    """A platform adapter that serves HTTP on the shared server."""

    name: str

    def mount(self, app: web.Application) -> None: ...


def bind_event(platform: str, event_id: str | None) -> None:
    """Tie the rest of this request's lines to the platform's id of what it sent us."""
    if event_id:
        structlog.contextvars.bind_contextvars(platform=platform, event_id=str(event_id))
