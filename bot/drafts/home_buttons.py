"""The drafts' button on the home page: a new joint message (the draft form's own route)."""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.reply import Button, ButtonStyle
from bot.drafts.names import NEW_FORM_ROUTE


def buttons(t: Translator) -> list[Button]:
    return [Button(t("threads.home.new_draft"), NEW_FORM_ROUTE, {}, ButtonStyle.PRIMARY)]
