"""Per-conversation send rate for the scheduler, timed by the injected clock (tests never wait)."""

from __future__ import annotations

from datetime import timedelta

from bot.common.clock import Clock
from bot.common.pacing import Pacer


class RateLimiter:
    """At most `rates[platform]` posts a second to one conversation; unnamed platforms are free.

    The rate per platform comes from configuration, so no rule here names a platform; the
    pacing itself is the shared `Pacer`, one per platform.
    """

    def __init__(self, clock: Clock, rates: dict[str, float]) -> None:
        self.clock = clock
        self._pacers = {
            platform: Pacer.per_second(rate, self._seconds) for platform, rate in rates.items()
        }

    def _seconds(self) -> float:
        return self.clock.now().timestamp()

    def _pacer(self, platform: str) -> Pacer:
        pacer = self._pacers.get(platform)
        if pacer is None:
            pacer = self._pacers[platform] = Pacer([], self._seconds)
        return pacer

    def wait(self, platform: str, conversation: str) -> timedelta:
        """Zero and the slot is taken; otherwise how long until the next slot."""
        return timedelta(seconds=self._pacer(platform).take(conversation))

    def hold(self, platform: str, conversation: str, delay: timedelta) -> None:
        """The platform asked us to slow down (429): no sends to it before now + delay."""
        self._pacer(platform).hold(conversation, delay.total_seconds())
