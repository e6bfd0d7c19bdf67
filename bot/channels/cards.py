"""Cards whose every posted copy is tracked, so a change of state updates them all.

The core's outbox calls these after the command's transaction has committed: a new post is
remembered as a PostedMessage, and an update is sent only when it is newer than what that copy
already shows, so two decisions delivered out of order never leave a stale card behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import PostedMessage

if TYPE_CHECKING:
    from bot.core.context import Outgoing


async def remember_card(database: Database, item: Outgoing, message_id: str, now: datetime) -> None:
    """Store where a tracked card went; a second post to the same channel is ignored."""
    assert item.card is not None
    try:
        async with database.transaction() as session:
            session.add(
                PostedMessage(
                    card=item.card,
                    channel_id=item.channel.id,
                    message_id=message_id,
                    revision=item.revision,
                    posted_at=now,
                    updated_at=now,
                )
            )
    except IntegrityError:
        return


async def claim_card_update(database: Database, item: Outgoing, now: datetime) -> bool:
    """True when this update is newer than the copy's; an untracked update always goes out."""
    if item.card is None:
        return True
    async with database.transaction() as session:
        result = await session.execute(
            update(PostedMessage)
            .where(
                PostedMessage.card == item.card,
                PostedMessage.channel_id == item.channel.id,
                PostedMessage.message_id == item.message_id,
                PostedMessage.revision < item.revision,
            )
            .values(revision=item.revision, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))


async def posted_copies(session: AsyncSession, card: str) -> list[PostedMessage]:
    """Every copy of a card, on every platform, whose channel the bot is still in."""
    rows = await session.scalars(
        select(PostedMessage).where(PostedMessage.card == card).order_by(PostedMessage.id)
    )
    return [row for row in rows.unique().all() if row.channel.active]
