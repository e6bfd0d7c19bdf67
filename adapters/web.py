"""The seam between the shared web server and the platform adapters that mount routes on it.

Adapters import this module, never the server that assembles them (`app/server.py`), so no
adapter depends on the composition root or on another adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

from bot.core.engine import Bot

# A named check an adapter adds to `/readyz`: (name, ready?).
ReadinessCheck = Callable[[], Awaitable[tuple[str, bool]]]

BOT_KEY = web.AppKey("bot", Bot)
READINESS_KEY = web.AppKey("readiness", list[ReadinessCheck])


class WebAdapter(Protocol):
    """A platform adapter that serves HTTP on the shared server."""

    name: str

    def mount(self, app: web.Application) -> None: ...
