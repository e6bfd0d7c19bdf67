"""The home page a platform shows for a person (Slack's App Home tab): a list of sections.

A section is one plain core function `Context → list[Section]` that a feature package declares
(`home_sections` of its `Feature` in `bot/features.py`); every platform renders the result
without knowing the features.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.common.i18n import Translator
from bot.core.context import CommandError, Context
from bot.core.engine import Bot
from bot.core.identity import resolve_person
from bot.core.names import HOME_OPEN_ROUTE
from bot.core.registry import ButtonRoute
from bot.core.reply import Button, ButtonStyle, Reply, Section, Visibility
from bot.core.request import Request

log = logging.getLogger("samverkan.home")

HomeSection = Callable[[Context], Awaitable[list[Section]]]
# A button on the home page runs a command as if typed without arguments (`möte` opens the
# meeting form): a page has no text to send. Only commands some feature's button names run.
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


def open_button(label: str, command: str, style: ButtonStyle = ButtonStyle.DEFAULT) -> Button:
    """A home button that runs a command (by its key) without arguments."""
    return Button(label, HOME_OPEN_ROUTE, {"command": command}, style)


async def open_command(context: Context, payload: dict[str, object]) -> Reply | list[Reply]:
    """Run the command a home button names; anything else (a payload is untrusted) is refused."""
    key = payload.get("command")
    offered = {
        button.payload.get("command")
        for declared in context.catalog.home_buttons
        for button in declared(context.t)
        if button.route == HOME_OPEN_ROUTE
    }
    if not isinstance(key, str) or key not in offered:
        raise CommandError("error.unknown_action")
    command = context.registry.get(key)
    if command.handler is None:  # a directory answer: these buttons name none
        raise CommandError("error.unknown_action")
    return await command.handler(context, {})


ROUTES = [ButtonRoute(HOME_OPEN_ROUTE, open_command)]
