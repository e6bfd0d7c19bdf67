"""Route names the core itself answers, typed once: buttons carry them, `bot/features.py`
routes them."""

from __future__ import annotations

# A home-page button that runs a command as if typed without arguments (see bot.core.home).
HOME_OPEN_ROUTE = "home.open"
