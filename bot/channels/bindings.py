"""Channels the bot is in, and what each is bound to (a forum, joint communications, digest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.request import ChannelRef
from storage.models import Channel, ChannelBinding

PURPOSE_FORUM = "forum"
PURPOSE_JOINT = "joint"
PURPOSE_DIGEST = "digest"


async def get_or_create_channel(
    session: AsyncSession, ref: ChannelRef, conversation_ref: dict[str, Any] | None = None
) -> Channel:
    """The stored channel for a platform channel, created on first sight, reactivated if needed."""
    channel = await session.scalar(
        select(Channel).where(
            Channel.platform == ref.platform,
            Channel.workspace == ref.workspace,
            Channel.channel_id == ref.channel_id,
        )
    )
    if channel is None:
        channel = Channel(
            platform=ref.platform,
            workspace=ref.workspace,
            channel_id=ref.channel_id,
            name=ref.name,
            conversation_ref=conversation_ref,
            active=True,
            bindings=[],
        )
        session.add(channel)
        await session.flush()
        return channel
    if ref.name and channel.name != ref.name:
        channel.name = ref.name
    if conversation_ref is not None:
        channel.conversation_ref = conversation_ref
    channel.active = True
    return channel


async def channels_bound_to(
    session: AsyncSession, purpose: str, forum_id: int | None = None
) -> list[Channel]:
    """Active channels with a binding: where a forum's cards or the digest are posted."""
    query = (
        select(Channel)
        .join(ChannelBinding, ChannelBinding.channel_id == Channel.id)
        .where(ChannelBinding.purpose == purpose, Channel.active)
    )
    if forum_id is not None:
        query = query.where(ChannelBinding.forum_id == forum_id)
    return list((await session.scalars(query)).unique().all())
