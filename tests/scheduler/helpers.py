"""Shared bits for scheduler tests: channels, accounts, a flaky messenger, a test job kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.features import default_catalog
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.kind import JobContext, JobKind
from storage.db import Database
from storage.models import Channel, Identity, Job, Person


async def render_text(context: JobContext) -> Reply:
    return Reply(text=str(context.job.payload["text"]))


def job_kinds() -> dict[str, JobKind]:
    """The real kinds plus `say` (sends its payload text) and `meetingish` (stale after 1 h)."""
    kinds = dict(default_catalog().job_kinds)
    kinds["say"] = JobKind("say", render_text)
    kinds["meetingish"] = JobKind("meetingish", render_text, stale_after=timedelta(hours=1))
    return kinds


async def add_channel(database: Database, name: str, platform: str = "console") -> int:
    async with database.transaction() as session:
        channel = Channel(platform=platform, workspace="", channel_id=name, name=name, active=True)
        session.add(channel)
        await session.flush()
        return channel.id


async def person_id(database: Database, name: str, with_account: bool = True) -> int:
    """The seeded person's id; with a console account so direct messages can reach them."""
    async with database.transaction() as session:
        person = await session.scalar(select(Person).where(Person.name == name))
        assert person is not None
        if with_account:
            exists = await session.scalar(
                select(func.count()).select_from(Identity).where(Identity.person_id == person.id)
            )
            if not exists:
                session.add(Identity(person_id=person.id, platform="console", user_id=name))
        return person.id


async def jobs(database: Database) -> list[Job]:
    async with database.sessions() as session:
        return list((await session.scalars(select(Job).order_by(Job.id))).all())


@dataclass
class FlakyMessenger(ConsoleMessenger):
    """Fails the first `failures` sends, then records like the console messenger."""

    failures: int = 0
    calls: int = field(default=0)

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("platform is down")
        return await super().post(channel, reply)


def texts(bot: Bot) -> list[str]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [reply.text for _, reply in messenger.posted]


async def next_due(database: Database) -> datetime | None:
    """When the next pending job may run: its due time, or its retry time if later."""
    async with database.sessions() as session:
        rows = (
            await session.execute(
                select(Job.due, Job.claimed_until).where(Job.status.in_(["pending", "claimed"]))
            )
        ).all()
    moments = [max(due, until) if until else due for due, until in rows]
    return min(moments) if moments else None


async def run_until(dispatcher: Dispatcher, clock: FixedClock, end: datetime) -> None:
    """Jump the clock from one due job to the next until `end`: weeks run in milliseconds."""
    while True:
        await dispatcher.run_once()
        upcoming = await next_due(dispatcher.bot.database)
        if upcoming is None or upcoming > end:
            clock.set(end)
            return
        clock.set(max(upcoming, clock.now()))


async def add_action_item(
    bot: Bot,
    text: str,
    owner: str,
    due: date,
    forum: str | None = None,
    assigned_by: str | None = None,
) -> int:
    """An action item made through the domain service, reminders and all."""
    from bot.followup.action_items import create
    from storage.models import Forum

    async with bot.database.transaction() as session:
        found = await session.scalar(select(Forum).where(Forum.key == forum)) if forum else None
        who = await session.scalar(select(Person).where(Person.name == owner))
        by = await session.scalar(select(Person).where(Person.name == (assigned_by or owner)))
        assert who is not None and by is not None
        item = await create(
            session,
            text=text,
            owner=who,
            assigned_by=by,
            forum=found,
            due=due,
            now=bot.clock.now(),
            tz=bot.settings.tz,
            settings=bot.scheduler_settings,
        )
        return item.id
