"""The meetings' buttons on the home page: book a meeting, see the coming ones."""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.home import open_button
from bot.core.reply import Button


def buttons(t: Translator) -> list[Button]:
    return [
        open_button(t("threads.home.new_meeting"), "meeting"),
        open_button(t("threads.home.meetings"), "meetings"),
    ]
