"""`GET /calendar/<forum>.ics?key=…`: a forum's meetings as a feed Outlook can subscribe to.

The key is derived per forum with HMAC from SAMVERKAN_CALENDAR_SECRET, so nothing secret is
stored and one leaked link exposes one forum only. A wrong key, an unknown forum and a
need-to-know forum all get the same 404, so the feed reveals nothing by its answers.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from aiohttp import web

from bot.core.engine import Bot
from bot.meetings.ics import NoCalendar, forum_calendar
from bot.meetings.service import feed_key

HISTORY = timedelta(days=366)


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class CalendarFeed:
    """A small web adapter: one route on the shared server, no platform involved."""

    name = "calendar"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def mount(self, app: web.Application) -> None:
        app.router.add_get("/calendar/{forum}.ics", self.serve)

    async def serve(self, request: web.Request) -> web.Response:
        secret = self.bot.settings.calendar_secret
        forum_key = request.match_info["forum"]
        given = request.query.get("key", "")
        expected = feed_key(secret, forum_key) if secret else ""
        # Bytes, not str: compare_digest raises on a non-ASCII str (a 500 before any check).
        if not secret or not hmac.compare_digest(_bytes(given), _bytes(expected)):
            raise web.HTTPNotFound()
        language = "en" if self.bot.settings.locale.startswith("en") else "sv"
        since = self.bot.clock.now() - HISTORY
        try:
            async with self.bot.database.sessions() as session:
                _forum, body = await forum_calendar(session, forum_key, language, since)
        except NoCalendar:
            raise web.HTTPNotFound() from None
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )
