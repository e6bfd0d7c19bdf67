"""Per-conversation send pacing: the one limiter behind the scheduler and both messengers.

Slack asks for about one post a second per channel, Teams allows 7 sends a second and 60 per
30 seconds per conversation, and the scheduler paces its sends by a configured rate. All three
ask one question — may this conversation take a send now, and if not, how long until it may —
so they share one answer, built on pyrate-limiter's in-memory buckets (an exact sliding log)
with an injected clock, so tests need not wait. A conversation's bucket is forgotten once its
last send has left the longest window, when it counts nothing any more: a Teams channel post
starts a conversation of its own for its thread, so most conversations take a send or two and
fall quiet for good, and keeping their buckets until a size limit pushed them out held ten
thousand dead buckets (6.5 MiB of objects) in a busy bot. The size limit stays as a second bound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from cachetools import LRUCache, TTLCache
from pyrate_limiter import InMemoryBucket, Rate, RateItem

MAX_CONVERSATIONS = 10_000


class Pacer:
    """Sends per conversation within every `(limit, window_seconds)` rate at once."""

    def __init__(
        self,
        rates: Sequence[tuple[int, float]],
        now: Callable[[], float],
        max_conversations: int = MAX_CONVERSATIONS,
    ) -> None:
        # The log counts a send as inside its window up to and including the window's last
        # millisecond; one less makes "one a second" mean a send at t and the next at t + 1 s.
        self._rates = [Rate(limit, max(1, round(window * 1000) - 1)) for limit, window in rates]
        self._now = now
        # A bucket lives one longest window (and a second's margin) after its last counted send;
        # every counted send stores it again, which starts its time anew.
        longest = max((window for _, window in rates), default=0.0) + 1.0
        self._buckets: TTLCache[Hashable, InMemoryBucket] = TTLCache(
            max_conversations, ttl=longest, timer=now
        )
        self._held: LRUCache[Hashable, float] = LRUCache(max_conversations)

    @classmethod
    def per_second(cls, rate: float | None, now: Callable[[], float]) -> Pacer:
        """At most `rate` sends a second (one every 1/rate seconds); none or 0 means unpaced."""
        rates = [(1, 1 / rate)] if rate and rate > 0 else []
        return cls(rates, now)

    def take(self, key: Hashable) -> float:
        """0.0 and the send is counted; otherwise the seconds until one may go (nothing counted)."""
        now = self._now()
        held = self._held.get(key)
        if held is not None:
            if held > now:
                return held - now
            del self._held[key]
        if not self._rates:
            return 0.0
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = InMemoryBucket(self._rates)
        stamp = int(now * 1000)
        bucket.leak(stamp)
        item = RateItem("send", stamp)
        if bucket.put(item):
            self._buckets[key] = bucket
            return 0.0
        waiting = bucket.waiting(item)
        assert isinstance(waiting, int)  # an in-memory bucket answers at once
        return max(waiting / 1000, 0.001)

    def hold(self, key: Hashable, seconds: float) -> None:
        """The platform asked us to slow down (429): nothing to `key` for `seconds`."""
        until = self._now() + seconds
        self._held[key] = max(self._held.get(key, until), until)
