"""Per-conversation send rate, timed by the injected clock so tests need not wait."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.common.clock import Clock


class RateLimiter:
    """At most `rates[platform]` posts a second to one conversation; unnamed platforms are free.

    The rate per platform comes from configuration, so no rule here names a platform.
    """

    def __init__(self, clock: Clock, rates: dict[str, float]) -> None:
        self.clock = clock
        self.rates = rates
        self._next_free: dict[tuple[str, str], datetime] = {}

    def wait(self, platform: str, conversation: str) -> timedelta:
        """Zero and the slot is taken; otherwise how long until the next slot."""
        rate = self.rates.get(platform)
        if not rate or rate <= 0:
            return timedelta(0)
        now = self.clock.now()
        key = (platform, conversation)
        free = self._next_free.get(key, now)
        if free > now:
            return free - now
        self._next_free[key] = now + timedelta(seconds=1 / rate)
        return timedelta(0)

    def hold(self, platform: str, conversation: str, delay: timedelta) -> None:
        """The platform asked us to slow down (429): no sends to it before now + delay."""
        key = (platform, conversation)
        until = self.clock.now() + delay
        self._next_free[key] = max(self._next_free.get(key, until), until)
