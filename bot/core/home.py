"""The home page a platform shows for a person (Slack's App Home tab): a list of sections.

A section is one plain core function `Context → list[Section]` that a feature package declares
(`home_sections` of its `Feature` in `bot/features.py`); every platform renders the result
without knowing the features.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.common.i18n import Translator
from bot.core.context import Context
from bot.core.engine import Bot
from bot.core.identity import resolve_person
from bot.core.reply import Button, Reply, Section, Visibility
from bot.core.request import Request

log = logging.getLogger("samverkan.home")

HomeSection = Callable[[Context], Awaitable[list[Section]]]
# The buttons a feature puts at the top of the page, in the reader's language.
HomeButtons = Callable[[Translator], list[Button]]


async def build_home(bot: Bot, request: Request) -> list[Reply]:
    """The person's home page; a failing section is left out rather than breaking the page."""
    async with bot.database.transaction() as session:
        person = await resolve_person(session, request, bot.clock.now())
        t = bot.translator(bot.language_for(person, request))
        if person is None:
            return [Reply(heading=t("home.heading"), text=t("error.not_registered"))]
        context = Context(
            request,
            session,
            person,
            t,
            bot.clock,
            bot.settings,
            bot.registry,
            bot.catalog,
            bot.scheduler_settings,
        )
        sections: list[Section] = []
        for section in bot.catalog.home_sections:
            try:
                async with session.begin_nested():
                    sections.extend(await section(context))
            except Exception:
                log.exception("home section %s failed", section.__name__)
        buttons = [button for declared in bot.catalog.home_buttons for button in declared(t)]
        return [
            Reply(
                heading=t("home.heading"),
                text=t("home.intro", name=person.name),
                buttons=buttons,
                sections=sections,
                context=t("home.footer"),
                visibility=Visibility.ONLY_TO_YOU,
            )
        ]
