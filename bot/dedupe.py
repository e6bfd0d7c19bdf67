"""Replays are harmless: a platform event id is claimed once, in the transaction it causes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedEvent


class DuplicateEvent(Exception):
    """This event was handled before (or is being handled by another replica right now)."""


async def claim_event(session: AsyncSession, platform: str, event_id: str, now: datetime) -> None:
    """Record the event as handled; raise DuplicateEvent if it already was.

    The claim commits or rolls back with the command's own changes, so a refused or failed
    command can be retried, while a successful one is never applied twice.
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
