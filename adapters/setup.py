"""Which platform adapters this process runs: each decides from its own settings."""

from __future__ import annotations

from adapters.server import WebAdapter
from bot.core import Bot


def configured_adapters(bot: Bot) -> list[WebAdapter]:
    """Every adapter whose settings are present; one line per platform."""
    adapters: list[WebAdapter] = []
    return adapters
