"""Rooms that span platforms: a Slack channel and a Teams channel linked as one room.

Police and municipality staff may sit on different platforms, so what is posted to one channel
of a room (drafts for co-signature, digests) is posted to its linked channels too. Linking is
done with a short one-time code typed in the other channel, or from the command line.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel, RoomLink, RoomLinkCode

CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: the code is read on one screen and typed on another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class LinkRefused(Exception):
    """Why two channels cannot be linked; `key` is a message key of the drafts catalog."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Linked:
    link: RoomLink
    other: Channel
    created: bool


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def issue_code(
    session: AsyncSession, channel: Channel, person_id: int | None, now: datetime
) -> RoomLinkCode:
    """A fresh one-time code for linking this channel; earlier unused codes stay valid."""
    row = RoomLinkCode(
        code=new_code(),
        channel_id=channel.id,
        created_by_id=person_id,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    session.add(row)
    await session.flush()
    return row


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


async def redeem_code(
    session: AsyncSession, code: str, channel: Channel, now: datetime, by: str
) -> Linked:
    """Link the code's channel with `channel`. The code is spent atomically, at most once."""
    row = await session.scalar(
        select(RoomLinkCode).where(RoomLinkCode.code == normalise_code(code))
    )
    if row is None or row.used_at is not None:
        raise LinkRefused("rooms.code_unknown")
    if row.expires_at <= now:
        raise LinkRefused("rooms.code_expired")
    other = await session.get(Channel, row.channel_id)
    if other is None:
        raise LinkRefused("rooms.code_unknown")
    check_linkable(channel, other)
    spent = await session.execute(
        update(RoomLinkCode)
        .where(RoomLinkCode.id == row.id, RoomLinkCode.used_at.is_(None))
        .values(used_at=now)
    )
    if not getattr(spent, "rowcount", 0):
        raise LinkRefused("rooms.code_unknown")
    return await link_channels(session, channel, other, now, by)


def check_linkable(channel: Channel, other: Channel) -> None:
    if channel.id == other.id:
        raise LinkRefused("rooms.same_channel")
    if channel.platform == other.platform:
        raise LinkRefused("rooms.same_platform")


async def link_channels(
    session: AsyncSession, channel: Channel, other: Channel, now: datetime, by: str
) -> Linked:
    """Store the link (idempotent: linking twice keeps one row)."""
    check_linkable(channel, other)
    low, high = sorted((channel.id, other.id))
    existing = await session.scalar(
        select(RoomLink).where(RoomLink.channel_id == low, RoomLink.other_channel_id == high)
    )
    if existing is not None:
        return Linked(existing, other, created=False)
    link = RoomLink(channel_id=low, other_channel_id=high, linked_at=now, linked_by=by)
    session.add(link)
    await session.flush()
    return Linked(link, other, created=True)


async def linked_channels(session: AsyncSession, channel_ids: list[int]) -> list[Channel]:
    """Active channels linked with any of the given ones (not including those themselves)."""
    if not channel_ids:
        return []
    links = (
        await session.scalars(
            select(RoomLink).where(
                or_(
                    RoomLink.channel_id.in_(channel_ids), RoomLink.other_channel_id.in_(channel_ids)
                )
            )
        )
    ).all()
    wanted = {link.channel_id for link in links} | {link.other_channel_id for link in links}
    wanted -= set(channel_ids)
    if not wanted:
        return []
    rows = await session.scalars(
        select(Channel).where(Channel.id.in_(wanted), Channel.active).order_by(Channel.id)
    )
    return list(rows.all())


async def room_of(session: AsyncSession, channels: list[Channel]) -> list[Channel]:
    """The given channels and every channel linked with them, each once, in a stable order."""
    seen: dict[int, Channel] = {c.id: c for c in channels if c.active}
    for channel in await linked_channels(session, list(seen)):
        seen.setdefault(channel.id, channel)
    return list(seen.values())
