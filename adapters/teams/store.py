"""What the Teams adapter keeps: conversation references on channels and identities.

The core owns the tables; this module only records where the bot can reach a channel or a
person later (reminders, digests, private answers) and marks channels the bot was removed from.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache, TTLCache
from sqlalchemy import bindparam, select, update

from bot.channels.bindings import get_or_create_channel
from bot.core.request import ChannelRef
from storage.db import Database
from storage.models import Channel, Identity, Person

PLATFORM = "teams"


# Whether a channel is kept already: two columns, without the ORM or the channel's bindings.
_CHANNEL_KEPT = select(Channel.active, Channel.conversation_ref).where(
    Channel.platform == PLATFORM,
    Channel.workspace == bindparam("b_workspace"),
    Channel.channel_id == bindparam("b_channel"),
)


class KnownChannels:
    """Channels this process has lately seen kept: stored, active, with a reference.

    Nearly every message comes from a channel the bot has known for months, and asking the
    database about it again costs a sixth of a channel message's work. The memory is short on
    purpose: a channel another replica marked inactive, or one removed by hand, is put right by
    the first message after the memory lapses, as it was by every message before. What this
    process marks inactive itself it forgets at once.
    """

    TTL = 300.0  # seconds a channel stays known without asking the database again
    LIMIT = 10_000  # channels remembered at once; the least recent are forgotten first

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._seen: TTLCache[tuple[str, str], bool] = TTLCache(
            maxsize=self.LIMIT, ttl=self.TTL, timer=clock
        )

    def fresh(self, workspace: str, channel_id: str) -> bool:
        return (workspace, channel_id) in self._seen

    def note(self, workspace: str, channel_id: str) -> None:
        self._seen[(workspace, channel_id)] = True

    def forget(self, workspace: str, channel_id: str) -> None:
        self._seen.pop((workspace, channel_id), None)


async def remember_channel(
    database: Database,
    ref: ChannelRef,
    conversation_ref: dict[str, Any],
    *,
    known: KnownChannels,
    force: bool = False,
) -> None:
    """Store the channel's reference when it is new, lacks one, is inactive, or `force` (added).

    Most messages come from channels kept long ago: for them this is nothing while `known`
    remembers the channel, else one read of two columns; the channel (with its bindings) is
    loaded only when something is to be written.
    """
    if not force:
        if known.fresh(ref.workspace, ref.channel_id):
            return
        values = {"b_workspace": ref.workspace, "b_channel": ref.channel_id}
        async with database.engine.connect() as connection:
            kept = (await connection.execute(_CHANNEL_KEPT, values)).first()
        if kept is not None and kept.active and kept.conversation_ref:
            known.note(ref.workspace, ref.channel_id)
            return
    async with database.transaction() as session:
        channel = await session.scalar(
            select(Channel).where(
                Channel.platform == PLATFORM,
                Channel.workspace == ref.workspace,
                Channel.channel_id == ref.channel_id,
            )
        )
        if channel is None or not channel.conversation_ref or not channel.active or force:
            await get_or_create_channel(session, ref, conversation_ref)
    known.note(ref.workspace, ref.channel_id)


async def mark_inactive(
    database: Database, workspace: str, channel_id: str, known: KnownChannels
) -> None:
    """The bot was removed: nothing more is sent there until it is added again."""
    known.forget(workspace, channel_id)
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


# Built once: constructing an UPDATE and its cache key costs more than running it on SQLite.
_STORE_DIRECT = (
    update(Identity)
    .where(
        Identity.platform == PLATFORM,
        Identity.workspace == bindparam("b_tenant"),
        Identity.user_id == bindparam("b_user"),
    )
    .values(direct_conversation=bindparam("b_reference", type_=Identity.direct_conversation.type))
)


async def remember_direct(
    database: Database, tenant: str, user_id: str, conversation_ref: dict[str, Any]
) -> bool:
    """Keep the person's 1:1 conversation so reminders can reach them later.

    One UPDATE on a Core connection: no identity (and none of its relations) is loaded for it.
    False when the person has no identity in this tenant yet (nothing is stored then).
    """
    values = {"b_tenant": tenant, "b_user": user_id, "b_reference": conversation_ref}
    async with database.engine.begin() as connection:
        result = await connection.execute(_STORE_DIRECT, values)
    return bool(getattr(result, "rowcount", 0))


class DirectChats:
    """Stores each person's 1:1 reference when it differs from the one stored last.

    A person's 1:1 chat with the bot keeps its id, so after the first message of a process
    the reference is unchanged and nothing is written. What this process stored is what it
    compares with; where the database is known to hold something else (a proactive send read
    the identity), `force` writes anyway. Writes for one person are taken in turn, and a turn
    whose reference a newer one replaced while it waited leaves the writing to that newer turn:
    only the newest reference is worth storing.
    """

    LIMIT = 10_000  # people remembered at once; the least recent are forgotten first

    def __init__(self, database: Database) -> None:
        self.database = database
        self.stored: LRUCache[tuple[str, str], dict[str, Any]] = LRUCache(maxsize=self.LIMIT)
        self.writes = 0
        self._newest: dict[tuple[str, str], dict[str, Any]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._callers: dict[tuple[str, str], int] = {}

    async def remember(
        self, tenant: str, user_id: str, conversation_ref: dict[str, Any], *, force: bool = False
    ) -> None:
        key = (tenant, user_id)
        if not force and key not in self._callers and self.stored.get(key) == conversation_ref:
            return  # (while a write is under way, what is stored may be about to change)
        self._newest[key] = conversation_ref
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._callers[key] = self._callers.get(key, 0) + 1
        try:
            async with lock:
                if self._newest.get(key) is not conversation_ref:
                    return  # replaced by a newer reference, whose turn writes it
                if not force and self.stored.get(key) == conversation_ref:
                    return
                self.writes += 1
                if await remember_direct(self.database, tenant, user_id, conversation_ref):
                    self.stored[key] = conversation_ref
                else:
                    self.stored.pop(key, None)
        finally:
            self._callers[key] -= 1
            if not self._callers[key]:
                del self._callers[key], self._locks[key], self._newest[key]


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
