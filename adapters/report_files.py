"""`GET /report/<token>/<file>`: a report file behind a signed link that expires (bot/report/links).

The file is built again for the person the link was made for, with their view of need-to-know
forums. A wrong, changed or expired token, an unknown person and a file name that does not
match all get the same 404, so the route reveals nothing by its answers.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.common.i18n import Translator, choose_language
from bot.core.engine import Bot
from bot.report import links
from bot.report.attachments import base_name, file_bytes
from bot.report.service import BadPeriod, person_report
from storage.models import Person


class ReportFiles:
    """A small web adapter: one route on the shared server, no platform involved."""

    name = "report_files"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def mount(self, app: web.Application) -> None:
        app.router.add_get("/report/{token}/{filename}", self.serve)

    async def serve(self, request: web.Request) -> web.Response:
        secret = self.bot.settings.calendar_secret
        now = self.bot.clock.now()
        recipe = links.verify(secret, request.match_info["token"], now) if secret else None
        if recipe is None:
            raise web.HTTPNotFound()
        tz = self.bot.settings.tz
        t = Translator(choose_language(recipe.language), tz)
        async with self.bot.database.sessions() as session:
            person = await session.get(Person, recipe.person)
            if person is None or not person.active:
                raise web.HTTPNotFound()
            try:
                report = await person_report(session, person, recipe.period, tz, now)
            except BadPeriod:
                raise web.HTTPNotFound() from None
        # Off the event loop: a chart and a PDF take CPU for a good part of a second.
        rendered = await asyncio.to_thread(file_bytes, report, t, recipe.form)
        filename = f"{base_name(report)}.{rendered.extension}"
        if request.match_info["filename"] != filename:
            raise web.HTTPNotFound()
        disposition = "inline" if rendered.extension == "png" else "attachment"
        return web.Response(
            body=rendered.data,
            content_type=rendered.mime.split(";")[0],
            headers={
                "Cache-Control": "private, no-store",
                "Content-Disposition": f'{disposition}; filename="{filename}"',
                "X-Content-Type-Options": "nosniff",
            },
        )
