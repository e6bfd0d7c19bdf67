"""Follow-up's buttons on the home page: the asker's reminders and action items."""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.home import open_button
from bot.core.reply import Button


def buttons(t: Translator) -> list[Button]:
    return [
        open_button(t("threads.home.reminders"), "reminders"),
        open_button(t("threads.home.actions"), "actions"),
    ]
