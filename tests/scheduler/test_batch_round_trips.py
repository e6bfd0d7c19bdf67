"""A burst of due jobs costs a constant number of SQL statements per batch, not a few per job.

The round trips per job are what limit a Monday-morning burst (issue 19); the benchmark times
it, and this counts it: a batch of 40 channel jobs issues as many statements as a batch of 5.
"""

from __future__ import annotations

from datetime import timedelta

from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status, Target, schedule
from bot.scheduler.kind import JobKind
from bot.scheduler.settings import SchedulerSettings
from tests.meeting_support import counting_queries
from tests.scheduler.helpers import add_channel, job_kinds, jobs, texts


async def _burst(bot: Bot, clock: FixedClock, count: int, tag: str) -> list[int]:
    channels = [await add_channel(bot.database, f"{tag}{n}") for n in range(10)]
    async with bot.database.transaction() as session:
        for n in range(count):
            await schedule(
                session,
                "say",
                clock.now() - timedelta(seconds=1),
                {"text": f"{tag} {n}"},
                (Target.CHANNEL, channels[n % len(channels)]),
                f"{tag}-{n}",
                clock.now(),
            )
    return channels


async def _statements_for_one_round(bot: Bot, count: int, tag: str, clock: FixedClock) -> int:
    await _burst(bot, clock, count, tag)
    settings = SchedulerSettings(batch_size=100, rates={})  # type: ignore[call-arg]
    dispatcher = Dispatcher(bot, settings, kinds=job_kinds(), worker=f"w-{tag}")
    with counting_queries(bot.database) as statements:
        assert await dispatcher.run_once() == count
    return len(statements)


async def test_a_batch_costs_the_same_statements_whatever_its_size(
    bot: Bot, clock: FixedClock
) -> None:
    small = await _statements_for_one_round(bot, 5, "small", clock)
    large = await _statements_for_one_round(bot, 40, "large", clock)

    assert large == small
    assert sorted(texts(bot)) == sorted(
        [f"small {n}" for n in range(5)] + [f"large {n}" for n in range(40)]
    )
    assert {job.status for job in await jobs(bot.database)} == {Status.DONE.value}


async def test_a_kind_that_fails_in_a_batch_leaves_the_others_sent(
    bot: Bot, clock: FixedClock
) -> None:
    """One job's failure makes the round fall back to one job at a time; nothing is lost."""
    await _burst(bot, clock, 6, "mixed")
    async with bot.database.transaction() as session:
        await schedule(
            session,
            "broken",
            clock.now() - timedelta(seconds=1),
            {},
            (Target.CHANNEL, (await _burst(bot, clock, 0, "spare"))[0]),
            "broken-1",
            clock.now(),
        )
    kinds = job_kinds()

    async def broken(_context: object) -> None:
        raise RuntimeError("a bug in a kind")

    kinds["broken"] = JobKind("broken", broken)  # type: ignore[arg-type]
    settings = SchedulerSettings(batch_size=100, rates={})  # type: ignore[call-arg]
    dispatcher = Dispatcher(bot, settings, kinds=kinds, worker="w")
    assert await dispatcher.run_once() == 7

    assert sorted(texts(bot)) == sorted(f"mixed {n}" for n in range(6))
    states = {job.kind: job.status for job in await jobs(bot.database)}
    assert states["say"] == Status.DONE.value
    assert states["broken"] == Status.PENDING.value  # retried later, then parked
