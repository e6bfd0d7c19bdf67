"""What the Teams adapter keeps: conversation references on channels and identities.

The core owns the tables; this module only records where the bot can reach a channel or a
person later (reminders, digests, private answers) and marks channels the bot was removed from.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot.channels import get_or_create_channel
from bot.request import ChannelRef
from storage.db import Database
from storage.models import Channel, Identity, Person

PLATFORM = "teams"


async def remember_channel(
    database: Database, ref: ChannelRef, conversation_ref: dict[str, Any], *, force: bool = False
) -> Channel:
    """Store the channel's reference when it is new, lacks one, or `force` (bot added)."""
    async with database.transaction() as session:
        channel = await session.scalar(
            select(Channel).where(
                Channel.platform == PLATFORM,
                Channel.workspace == ref.workspace,
                Channel.channel_id == ref.channel_id,
            )
        )
        if channel is not None and channel.conversation_ref and channel.active and not force:
            return channel
        return await get_or_create_channel(session, ref, conversation_ref)


async def mark_inactive(database: Database, workspace: str, channel_id: str) -> None:
    """The bot was removed: nothing more is sent there until it is added again."""
    async with database.transaction() as session:
        await session.execute(
            update(Channel)
            .where(
                Channel.platform == PLATFORM,
                Channel.workspace == workspace,
                Channel.channel_id == channel_id,
            )
            .values(active=False)
        )


async def is_linked(database: Database, tenant: str, user_id: str) -> bool:
    """Whether this Teams user already has an identity (no e-mail look-up needed)."""
    async with database.sessions() as session:
        found = await session.scalar(
            select(Identity.id).where(
                Identity.platform == PLATFORM,
                Identity.workspace == tenant,
                Identity.user_id == user_id,
            )
        )
    return found is not None


async def remember_direct(
    database: Database, tenant: str, user_id: str, conversation_ref: dict[str, Any]
) -> None:
    """Keep the person's 1:1 conversation so reminders can reach them later."""
    async with database.transaction() as session:
        identity = await session.scalar(
            select(Identity).where(
                Identity.platform == PLATFORM,
                Identity.workspace == tenant,
                Identity.user_id == user_id,
            )
        )
        if identity is not None and identity.direct_conversation != conversation_ref:
            identity.direct_conversation = conversation_ref


async def service_url_for(database: Database, tenant: str) -> str | None:
    """A service URL Teams used for this tenant, to open new 1:1 chats from."""
    async with database.sessions() as session:
        refs = await session.scalars(
            select(Channel.conversation_ref).where(
                Channel.platform == PLATFORM, Channel.workspace == tenant
            )
        )
        for ref in refs:
            if ref and ref.get("serviceUrl"):
                return str(ref["serviceUrl"])
    return None


async def stored_language(database: Database, tenant: str, user_id: str) -> str | None:
    """The language a linked person chose, for the adapter's own lines (notes, hints)."""
    async with database.sessions() as session:
        language = await session.scalar(
            select(Person.language)
            .join(Identity, Identity.person_id == Person.id)
            .where(
                Identity.platform == PLATFORM,
                Identity.workspace == tenant,
                Identity.user_id == user_id,
            )
        )
    return str(language) if language else None
