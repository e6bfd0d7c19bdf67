"""Shared pieces for the joint-communications tests: a recording platform, channels, requests."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from storage.db import Database
from storage.models import Approval, Channel, ChannelBinding, Identity, Person, RoomLink


@dataclass
class RecordingMessenger:
    """Stands in for a platform's Web API: records posts and updates with their message ids."""

    platform: str
    posts: list[tuple[str, str, Reply]] = field(default_factory=list)
    updates: list[tuple[str, str, Reply]] = field(default_factory=list)

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        message_id = f"{self.platform}-msg-{len(self.posts) + 1}"
        self.posts.append((channel.channel_id, message_id, reply))
        return message_id

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        self.updates.append((channel.channel_id, message_id, reply))

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        return None


async def add_channel(
    database: Database, platform: str, channel_id: str, name: str, *, joint: bool = False
) -> int:
    async with database.transaction() as session:
        channel = Channel(
            platform=platform,
            workspace="",
            channel_id=channel_id,
            name=name,
            active=True,
            bindings=[],
        )
        if joint:
            channel.bindings.append(ChannelBinding(purpose="joint"))
        session.add(channel)
        await session.flush()
        return channel.id


async def link(database: Database, first: int, second: int) -> None:
    async with database.transaction() as session:
        low, high = sorted((first, second))
        session.add(
            RoomLink(channel_id=low, other_channel_id=high, linked_at=_now(), linked_by="t")
        )


def _now():  # type: ignore[no-untyped-def]
    from tests.conftest import NOW

    return NOW


async def person_id(database: Database, name: str) -> int:
    async with database.sessions() as session:
        found = await session.scalar(select(Person.id).where(Person.name == name))
        assert found is not None
        return found


async def press(
    bot: Bot,
    name: str,
    action: str,
    payload: dict[str, object],
    *,
    platform: str = "console",
    channel: str = "gemensam",
    locale: str | None = None,
    event_id: str | None = None,
) -> list[Reply]:
    """Press a button (or submit a form) as a named person, as an adapter would deliver it."""
    pid = await person_id(bot.database, name)
    request = Request(
        user=PlatformUser(platform=platform, user_id=f"u{pid}", locale=locale),
        channel=ChannelRef(platform=platform, channel_id=channel, name=channel),
        press=ButtonPress(action, payload),
        person_id=pid,
        event_id=event_id,
    )
    return await bot.handle(request)


async def say(
    bot: Bot,
    name: str,
    text: str,
    *,
    platform: str = "console",
    channel: str = "gemensam",
    locale: str | None = None,
    is_direct: bool = False,
) -> list[Reply]:
    pid = await person_id(bot.database, name)
    request = Request(
        user=PlatformUser(platform=platform, user_id=f"u{pid}", locale=locale),
        channel=ChannelRef(
            platform=platform, channel_id=channel, name=channel, is_direct=is_direct
        ),
        text=text,
        person_id=pid,
    )
    return await bot.handle(request)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.plain_text() for r in replies)


async def count_decisions(database: Database, decision: str | None = None) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(Approval)
        if decision is not None:
            query = query.where(Approval.decision == decision)
        return int(await session.scalar(query) or 0)
