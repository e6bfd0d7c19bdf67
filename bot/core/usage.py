"""How a command is written, in the asker's language: `kontakter <forum>`."""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.registry import Command


def usage_line(t: Translator, command: Command) -> str:
    key = f"cmd.{command.key}.usage"
    usage = t(key)
    name = command.name(t.language)
    return f"{name} {usage}".strip() if usage != key else name
