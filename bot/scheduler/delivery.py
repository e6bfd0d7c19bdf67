"""Where a job goes: a stored channel, or a person's 1:1 chat on a platform the bot speaks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messenger import Messenger
from bot.core.reply import Reply
from bot.scheduler.jobs import Target
from storage.models import Channel, Identity, Job, Person


@dataclass
class Destination:
    """One conversation on one platform; `key` names it for the rate limiter."""

    platform: str
    key: str
    messenger: Messenger
    channel: Channel | None = None
    identity: Identity | None = None
    person: Person | None = None

    async def send(self, reply: Reply) -> str | None:
        if self.channel is not None:
            return await self.messenger.post(self.channel, reply)
        assert self.identity is not None
        return await self.messenger.send_direct(self.identity, reply)


class Undeliverable(Exception):
    """No conversation to send to: the channel is gone, or the person has no usable account."""


class Unreachable(Undeliverable):
    """The person has no account on any platform yet: the job waits rather than vanishes."""


class NoMessenger(Exception):
    """This process does not speak the target's platform: a setup fault, retried, then parked."""


async def resolve(
    session: AsyncSession,
    job: Job,
    messengers: dict[str, Messenger],
    fallback: Messenger | None = None,
) -> Destination:
    """The destination of a job; raises Undeliverable with the reason when there is none.

    `fallback` reaches a person who has no account this process speaks (the terminal).
    """
    if job.target_kind == Target.CHANNEL.value:
        channel = await session.get(Channel, job.target_id)
        if channel is None or not channel.active:
            raise Undeliverable("channel inactive or removed")
        messenger = messengers.get(channel.platform)
        if messenger is None:
            raise NoMessenger(f"no messenger for {channel.platform} in this process")
        key = f"{channel.workspace}:{channel.channel_id}"
        return Destination(channel.platform, key, messenger, channel=channel)
    person = await session.get(Person, job.target_id)
    if person is None or not person.active:
        raise Undeliverable("person inactive or removed")
    identities = (
        await session.scalars(
            select(Identity).where(Identity.person_id == person.id).order_by(Identity.id)
        )
    ).all()
    for identity in identities:
        messenger = messengers.get(identity.platform)
        if messenger is not None:
            key = f"direct:{identity.workspace}:{identity.user_id}"
            return Destination(identity.platform, key, messenger, identity=identity, person=person)
    if fallback is not None:
        stand_in = Identity(person_id=person.id, platform=fallback.platform, user_id=str(person.id))
        key = f"direct:{fallback.platform}:{person.id}"
        return Destination(fallback.platform, key, fallback, identity=stand_in, person=person)
    if identities:
        platforms = ", ".join(sorted({i.platform for i in identities}))
        raise NoMessenger(f"no messenger for {platforms} in this process")
    raise Unreachable("no account on any platform")
