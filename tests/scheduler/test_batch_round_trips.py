"""A burst of due jobs costs a constant number of SQL statements per batch, not a few per job.

The round trips per job are what limit a Monday-morning burst (issue 19); the benchmark times
it, and this counts it: a batch of 40 channel jobs issues as many statements as a batch of 5.
"""

from __future__ import annotations

from datetime import timedelta

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status, Target, schedule
from bot.scheduler.kind import JobContext, JobKind
from bot.scheduler.settings import SchedulerSettings
from tests.meeting_support import counting_queries
from tests.scheduler.helpers import add_channel, job_kinds, jobs, render_text, texts


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


async def test_claims_grow_while_a_burst_lasts_and_the_statements_per_job_fall(
    bot: Bot, clock: FixedClock
) -> None:
    """Full claims double the next one up to max_batch_size, so 350 jobs take three rounds;
    what went out is still recorded `batch_size` jobs at a time."""
    await _burst(bot, clock, 350, "grow")
    settings = SchedulerSettings(batch_size=50, max_batch_size=200, rates={})  # type: ignore[call-arg]
    dispatcher = Dispatcher(bot, settings, kinds=job_kinds(), worker="w-grow")
    with counting_queries(bot.database) as statements:
        sizes = [await dispatcher.run_once() for _ in range(4)]

    assert sizes == [50, 100, 200, 0]
    assert len(statements) / 350 < 0.1  # a handful of statements per round, none per job
    # Recorded batch_size at a time however large the claim, so a kill repeats at most 50.
    finishes = [s for s in statements if s.lstrip().startswith("UPDATE") and "finished_at" in s]
    assert len(finishes) == 1 + 2 + 4
    assert sorted(texts(bot)) == sorted(f"grow {n}" for n in range(350))
    assert await dispatcher.run_once() == 0  # back to batch_size once the burst is gone


async def test_a_shared_kind_is_rendered_once_per_payload_and_a_private_one_per_job(
    bot: Bot, clock: FixedClock
) -> None:
    """A batch reuses a `shared` kind's message; every other kind renders for its own job."""
    channels = [await add_channel(bot.database, f"share{n}") for n in range(6)]
    renders: list[str] = []

    async def counted(context: JobContext) -> Reply:
        renders.append(context.job.kind)
        return Reply(text=str(context.job.payload["text"]))

    kinds = job_kinds()
    kinds["common"] = JobKind("common", counted, shared=True)
    kinds["own"] = JobKind("own", counted)
    async with bot.database.transaction() as session:
        for n, channel in enumerate(channels):
            for kind in ("common", "own"):
                text = "same for all" if n < 4 else f"other {n}"
                due = clock.now() - timedelta(seconds=1)
                target = (Target.CHANNEL, channel)
                await schedule(session, kind, due, {"text": text}, target, f"{kind}-{n}", due)
    settings = SchedulerSettings(batch_size=100, rates={})  # type: ignore[call-arg]
    assert await Dispatcher(bot, settings, kinds=kinds, worker="w").run_once() == 12

    # "same for all" once, and "other 4" and "other 5" once each; `own` six times.
    assert sorted(renders) == ["common"] * 3 + ["own"] * 6
    assert sorted(texts(bot)) == sorted(["same for all"] * 8 + ["other 4", "other 5"] * 2)


async def test_a_late_shared_message_names_each_jobs_own_due_time(
    bot: Bot, clock: FixedClock
) -> None:
    """The message is shared; the note that it is late is each job's own."""
    channel = await add_channel(bot.database, "late")
    kinds = job_kinds()
    kinds["common"] = JobKind("common", render_text, shared=True)
    async with bot.database.transaction() as session:
        for n, hours in enumerate((2, 3)):
            due = clock.now() - timedelta(hours=hours)
            target = (Target.CHANNEL, channel)
            await schedule(session, "common", due, {"text": "hej"}, target, f"late-{n}", due)
    settings = SchedulerSettings(batch_size=100, rates={})  # type: ignore[call-arg]
    assert await Dispatcher(bot, settings, kinds=kinds, worker="w").run_once() == 2

    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    notes = [reply.context for _, reply in messenger.posted]
    assert len(notes) == 2 and all(notes) and notes[0] != notes[1]
    assert [reply.text for _, reply in messenger.posted] == ["hej", "hej"]
