"""Claiming: several dispatchers send each job once; a dead dispatcher's jobs are re-taken."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.claim import claim_due, claim_one
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.settings import SchedulerSettings
from storage.db import Database
from storage.models import Job
from tests.scheduler.helpers import add_channel, job_kinds, jobs, texts


async def fill(bot: Bot, clock: FixedClock, count: int, channels: int) -> None:
    ids = [await add_channel(bot.database, f"c{n}") for n in range(channels)]
    async with bot.database.transaction() as session:
        for n in range(count):
            await schedule(
                session,
                "say",
                clock.now() - timedelta(seconds=n % 7),
                {"text": f"job {n}"},
                (Target.CHANNEL, ids[n % channels]),
                f"job-{n}",
                clock.now(),
            )


def make(bot: Bot, name: str) -> Dispatcher:
    settings = SchedulerSettings(batch_size=25, rates={})  # type: ignore[call-arg]
    return Dispatcher(bot, settings, kinds=job_kinds(), worker=name)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
async def test_three_replicas_on_postgresql_send_each_job_once(
    database: Database, bot: Bot, clock: FixedClock
) -> None:
    """Several replicas share one PostgreSQL; SQLite is the one-process default."""
    assert bot.database.dialect == "postgresql"
    await fill(bot, clock, 2000, 200)
    shared = ConsoleMessenger()
    replicas: list[Dispatcher] = []
    extra: list[Database] = []
    for n in range(3):
        database = bot.database if n == 0 else Database(bot.database.url)
        if n:
            extra.append(database)
        replica = Bot(database, bot.settings, clock, registry=bot.registry)
        replica.messengers["console"] = shared
        replicas.append(make(replica, f"replica-{n}"))

    async def drain(dispatcher: Dispatcher) -> int:
        total = 0
        while claimed := await dispatcher.run_once():
            total += claimed
            await asyncio.sleep(0)
        return total

    try:
        claimed = await asyncio.gather(*(drain(r) for r in replicas))
    finally:
        for database in extra:
            await database.dispose()
    counts = Counter(reply.text for _, reply in shared.posted)
    assert len(counts) == 2000 and set(counts.values()) == {1}
    assert sum(claimed) == 2000
    assert sum(1 for c in claimed if c > 0) >= 2  # they really shared the work
    finished = await jobs(bot.database)
    assert {j.status for j in finished} == {"done"}
    assert len({j.claimed_by for j in finished}) >= 2


async def test_a_crashed_claim_is_retaken_after_the_lease(bot: Bot, clock: FixedClock) -> None:
    await fill(bot, clock, 20, 4)
    lease = timedelta(minutes=2)
    # A dispatcher claims a batch and dies before sending anything.
    dead = await claim_due(bot.database, "dead", clock.now(), lease, 12)
    assert len(dead) == 12
    survivor = make(bot, "survivor")
    while await survivor.run_once():
        pass
    assert len(texts(bot)) == 8  # only the unclaimed ones
    clock.advance(lease)
    while await survivor.run_once():
        pass
    assert sorted(texts(bot)) == sorted(f"job {n}" for n in range(20))
    assert {j.claimed_by for j in await jobs(bot.database)} == {"survivor"}


async def test_a_dispatcher_cancelled_mid_batch_loses_nothing(bot: Bot, clock: FixedClock) -> None:
    await fill(bot, clock, 30, 3)
    gate = asyncio.Event()
    sends = 0

    class Stuck(ConsoleMessenger):
        async def post(self, channel, reply):  # type: ignore[no-untyped-def]
            nonlocal sends
            sends += 1
            if sends == 3:
                gate.set()
                await asyncio.Event().wait()  # hangs until cancelled
            return await super().post(channel, reply)

    stuck_bot = Bot(bot.database, bot.settings, clock, registry=bot.registry)
    stuck_bot.messengers["console"] = Stuck()
    task = asyncio.create_task(make(stuck_bot, "doomed").run_once())
    await gate.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    survivor = make(bot, "survivor")
    clock.advance(SchedulerSettings().lease)
    while await survivor.run_once():
        pass
    delivered = Counter(r.text for _, r in stuck_bot.messengers["console"].posted)  # type: ignore[attr-defined]
    delivered.update(texts(bot))
    assert set(delivered) == {f"job {n}" for n in range(30)}
    assert set(delivered.values()) == {1}


async def test_the_conditional_update_takes_a_job_once(bot: Bot, clock: FixedClock) -> None:
    await fill(bot, clock, 1, 1)
    [job] = await jobs(bot.database)
    lease = timedelta(minutes=2)
    async with bot.database.transaction() as session:
        assert await claim_one(session, job.id, "a", clock.now(), lease)
        assert not await claim_one(session, job.id, "b", clock.now(), lease)
    clock.advance(lease)
    async with bot.database.transaction() as session:
        assert await claim_one(session, job.id, "b", clock.now(), lease)
        owner = await session.scalar(select(Job.claimed_by).where(Job.id == job.id))
    assert owner == "b"


async def test_a_claimed_job_is_not_claimed_again_within_the_lease(
    bot: Bot, clock: FixedClock
) -> None:
    await fill(bot, clock, 5, 1)
    lease = timedelta(minutes=2)
    first = await claim_due(bot.database, "a", clock.now(), lease, 10)
    second = await claim_due(bot.database, "b", clock.now() + lease / 2, lease, 10)
    assert len(first) == 5 and second == []
