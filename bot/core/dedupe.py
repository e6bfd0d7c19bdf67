"""Replays are harmless: a platform event id is claimed once, in the transaction it causes."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedEvent


class DuplicateEvent(Exception):
    """This event was handled before (or is being handled by another replica right now)."""


async def claim_event(session: AsyncSession, platform: str, event_id: str, now: datetime) -> None:
    """Record the event as handled; raise DuplicateEvent if it already was.

    The claim commits or rolls back with the command's own changes, so a failed command can
    be retried, while a successful one is never applied twice. (A refused one is claimed again
    on its own by the core: a replay of a refusal gets no second answer.)
    """
    seen = await session.scalar(
        select(ProcessedEvent.id).where(
            ProcessedEvent.platform == platform, ProcessedEvent.event_id == event_id
        )
    )
    if seen is not None:
        raise DuplicateEvent(event_id)
    session.add(ProcessedEvent(platform=platform, event_id=event_id, at=now))
    try:
        await session.flush()
    except IntegrityError:
        raise DuplicateEvent(event_id) from None


class RecentEvents:
    """Event ids this process has answered lately without writing anything.

    Read-only answers claim no row in `processed_event` (that would make every question a
    write); a platform's re-delivery usually reaches the same process within seconds, and is
    recognised here. The memory is bounded: the oldest ids are forgotten first.
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def first(self, platform: str, event_id: str) -> bool:
        """True the first time this event is seen (and remember it), False for a repeat."""
        key = (platform, event_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
