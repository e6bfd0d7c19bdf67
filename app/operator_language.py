"""The language of the person at the command line, for `samverkan`'s own messages.

SAMVERKAN_LANGUAGE says it outright; SAMVERKAN_LOCALE (the bot's default) comes next when it is
set; then the shell's own locale (LC_ALL, LC_MESSAGES, LANG), so an English terminal gets
English errors; Swedish otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.common.i18n import Language, choose_language

ORDER = ("SAMVERKAN_LANGUAGE", "SAMVERKAN_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")


def operator_language(environ: Mapping[str, str] | None = None) -> Language:
    env = os.environ if environ is None else environ
    return choose_language(*(env.get(name) for name in ORDER))
