"""The Home page's buttons for what staff do most: a route that runs one of a few commands.

A button on a home page has no text to send, so `home.open` runs the command it names as if
it had been typed without arguments (`möte` opens the meeting form, `påminnelser` lists the
asker's reminders). Only the commands below can be named: a payload is untrusted.
"""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute
from bot.core.reply import Button, ButtonStyle, Reply
from bot.drafts.names import NEW_FORM_ROUTE

HOME_OPEN_ROUTE = "home.open"
# Command key → the label's message key, in the order the buttons are shown.
OPENED = {
    "meeting": "threads.home.new_meeting",
    "meetings": "threads.home.meetings",
    "reminders": "threads.home.reminders",
    "actions": "threads.home.actions",
}


def home_buttons(t: Translator) -> list[Button]:
    """New draft (the draft form's own route), then the commands above."""
    buttons = [Button(t("threads.home.new_draft"), NEW_FORM_ROUTE, {}, ButtonStyle.PRIMARY)]
    buttons.extend(
        Button(t(label), HOME_OPEN_ROUTE, {"command": key}) for key, label in OPENED.items()
    )
    return buttons


async def open_command(context: Context, payload: dict[str, object]) -> Reply | list[Reply]:
    key = payload.get("command")
    if not isinstance(key, str) or key not in OPENED:
        raise CommandError("error.unknown_action")
    command = context.registry.get(key)
    assert command.handler is not None, f"{key} answers from the directory only"
    return await command.handler(context, {})


ROUTES = [ButtonRoute(HOME_OPEN_ROUTE, open_command)]
