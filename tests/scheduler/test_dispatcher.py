"""The dispatcher sends due jobs once, retries with backoff, parks, drops stale ones."""

from __future__ import annotations

from datetime import timedelta

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status, Target, cancel, schedule
from bot.scheduler.reach import UNREACHABLE
from bot.scheduler.settings import SchedulerSettings
from tests.scheduler.helpers import (
    FlakyMessenger,
    add_channel,
    job_kinds,
    jobs,
    person_id,
    texts,
)


def dispatcher(bot: Bot, **overrides: object) -> Dispatcher:
    settings = SchedulerSettings(**{"rates": {}, **overrides})  # type: ignore[arg-type]
    return Dispatcher(bot, settings, kinds=job_kinds())


async def put(
    bot: Bot, clock: FixedClock, text: str, target: tuple[Target, int], **kw: object
) -> bool:
    async with bot.database.transaction() as session:
        return await schedule(
            session,
            str(kw.get("kind", "say")),
            clock.now() + kw.get("after", timedelta(0)),  # type: ignore[operator]
            {"text": text},
            target,
            str(kw.get("key", text)),
            clock.now(),
        )


async def test_due_jobs_are_sent_once_and_future_ones_wait(bot: Bot, clock: FixedClock) -> None:
    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "now", (Target.CHANNEL, channel))
    await put(bot, clock, "later", (Target.CHANNEL, channel), after=timedelta(days=2))
    worker = dispatcher(bot)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    assert texts(bot) == ["now"]
    clock.advance(timedelta(days=2))
    await worker.run_once()
    assert texts(bot) == ["now", "later"]
    assert [j.status for j in await jobs(bot.database)] == ["done", "done"]


async def test_scheduling_twice_with_one_key_makes_one_job(bot: Bot, clock: FixedClock) -> None:
    channel = await add_channel(bot.database, "general")
    assert await put(bot, clock, "hello", (Target.CHANNEL, channel), key="k1")
    assert not await put(bot, clock, "hello", (Target.CHANNEL, channel), key="k1")
    assert len(await jobs(bot.database)) == 1
    await dispatcher(bot).run_once()
    assert texts(bot) == ["hello"]


async def test_cancelled_job_is_not_sent(bot: Bot, clock: FixedClock) -> None:
    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "x", (Target.CHANNEL, channel), key="k")
    async with bot.database.transaction() as session:
        assert await cancel(session, "k", clock.now())
    await dispatcher(bot).run_once()
    assert texts(bot) == []


async def test_direct_job_goes_to_the_person(bot: Bot, clock: FixedClock) -> None:
    person = await person_id(bot.database, "Veronica Gustafsson")
    await put(bot, clock, "to you", (Target.PERSON, person))
    await dispatcher(bot).run_once()
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    assert messenger.posted[0][0] == f"direct:{person}"


async def test_person_without_account_waits_and_is_marked(bot: Bot, clock: FixedClock) -> None:
    person = await person_id(bot.database, "Veronica Gustafsson", with_account=False)
    await put(bot, clock, "to you", (Target.PERSON, person))
    await dispatcher(bot).run_once()
    [job] = await jobs(bot.database)
    # Not skipped: it waits for a conversation (see tests/people/test_unreachable.py).
    assert job.status == Status.PENDING and job.last_error == UNREACHABLE
    assert texts(bot) == []


async def test_failures_back_off_then_park_and_tell_the_admins(bot: Bot, clock: FixedClock) -> None:
    bot.messengers["console"] = FlakyMessenger(failures=100)
    admin = await person_id(bot.database, "Anna Lindqvist")  # the seeded admin
    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "x", (Target.CHANNEL, channel))
    worker = dispatcher(bot, max_attempts=3, backoff_base_seconds=60)
    await worker.run_once()
    [job] = await jobs(bot.database)
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.claimed_until == clock.now() + timedelta(seconds=60)
    clock.advance(timedelta(seconds=59))
    assert await worker.run_once() == 0  # still backing off
    clock.advance(timedelta(seconds=1))
    await worker.run_once()
    [job] = await jobs(bot.database)
    assert job.attempts == 2
    assert job.claimed_until == clock.now() + timedelta(seconds=120)  # doubled
    clock.advance(timedelta(seconds=120))
    await worker.run_once()
    parked, notice = await jobs(bot.database)
    assert (parked.status, parked.attempts) == ("parked", 3)
    assert "platform is down" in (parked.last_error or "")
    assert (notice.kind, notice.target_id) == ("notice", admin)
    await worker.run_once()  # direct messages go through send_direct, which works
    messenger = bot.messengers["console"]
    assert isinstance(messenger, FlakyMessenger)
    [(where, reply)] = messenger.posted
    assert where == f"direct:{admin}" and f"jobb {parked.id}" in reply.text


async def test_after_downtime_due_jobs_are_sent_late_and_stale_ones_dropped(
    bot: Bot, clock: FixedClock
) -> None:
    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "digest", (Target.CHANNEL, channel))
    await put(bot, clock, "meeting soon", (Target.CHANNEL, channel), kind="meetingish")
    await put(bot, clock, "fresh", (Target.CHANNEL, channel), after=timedelta(hours=5, minutes=55))
    clock.advance(timedelta(hours=6))  # the bot was down
    await dispatcher(bot).run_once()
    digest, meeting, fresh = await jobs(bot.database)
    assert (digest.status, digest.late) == ("done", True)
    assert (meeting.status, meeting.late) == ("dropped", False)
    assert (fresh.status, fresh.late) == ("done", False)
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    sent = {reply.text: reply for _, reply in messenger.posted}
    assert set(sent) == {"digest", "fresh"}
    assert "Försenad" in (sent["digest"].context or "")
    assert sent["fresh"].context is None


async def test_rate_limit_per_channel_follows_the_injected_clock(
    bot: Bot, clock: FixedClock
) -> None:
    busy = await add_channel(bot.database, "busy")
    other = await add_channel(bot.database, "other")
    for n in range(3):
        await put(bot, clock, f"busy {n}", (Target.CHANNEL, busy))
    await put(bot, clock, "other", (Target.CHANNEL, other))
    worker = dispatcher(bot, rates={"console": 2.0})  # two a second per channel
    await worker.run_once()
    assert sorted(texts(bot)) == ["busy 0", "other"]
    await worker.run_once()  # the clock has not moved: nothing more to busy
    assert len(texts(bot)) == 2
    clock.advance(timedelta(milliseconds=500))
    await worker.run_once()
    assert texts(bot)[-1] == "busy 1"
    clock.advance(timedelta(milliseconds=500))
    await worker.run_once()
    assert texts(bot)[-1] == "busy 2"
    assert [j.attempts for j in await jobs(bot.database)] == [0, 0, 0, 0]


async def test_removed_channel_is_marked_and_skipped(bot: Bot, clock: FixedClock) -> None:
    from bot.core.messenger import ConversationGone
    from storage.models import Channel

    class Gone(ConsoleMessenger):
        async def post(self, channel: Channel, reply: object) -> str | None:  # type: ignore[override]
            raise ConversationGone("not_in_channel")

    bot.messengers["console"] = Gone()
    channel = await add_channel(bot.database, "left")
    await put(bot, clock, "x", (Target.CHANNEL, channel))
    await dispatcher(bot).run_once()
    [job] = await jobs(bot.database)
    assert job.status == "skipped"
    async with bot.database.sessions() as session:
        stored = await session.get(Channel, channel)
        assert stored is not None and not stored.active


async def test_a_platform_this_process_does_not_speak_is_retried_not_dropped(
    bot: Bot, clock: FixedClock
) -> None:
    channel = await add_channel(bot.database, "C1", platform="slack")
    await put(bot, clock, "x", (Target.CHANNEL, channel))
    await dispatcher(bot).run_once()
    [job] = await jobs(bot.database)
    assert (job.status, job.attempts) == ("pending", 1)
    assert "no messenger" in (job.last_error or "")


async def test_a_kind_that_raises_is_retried_then_parked(bot: Bot, clock: FixedClock) -> None:
    from bot.scheduler.kind import JobContext, JobKind

    async def broken(_context: JobContext) -> None:
        raise ValueError("bug in a kind")

    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "x", (Target.CHANNEL, channel), kind="broken")
    kinds = job_kinds()
    kinds["broken"] = JobKind("broken", broken)
    worker = Dispatcher(bot, SchedulerSettings(rates={}, max_attempts=2), kinds=kinds)  # type: ignore[call-arg]
    await worker.run_once()
    clock.advance(timedelta(hours=1))
    await worker.run_once()
    job = (await jobs(bot.database))[0]
    assert (job.status, job.attempts) == ("parked", 2)
    assert "bug in a kind" in (job.last_error or "")


async def test_the_loop_plans_each_day_and_stops_when_asked(bot: Bot, clock: FixedClock) -> None:
    import asyncio

    settings = SchedulerSettings(rates={}, poll_seconds=0.01)  # type: ignore[call-arg]
    worker = Dispatcher(bot, settings, kinds=job_kinds())
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    for _ in range(1000):  # the loop runs on its own; give it up to ~10 s of real time
        if any(j.kind == "plan" and j.status == "done" for j in await jobs(bot.database)):
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 5)
    keys = {j.dedupe_key for j in await jobs(bot.database) if j.kind == "plan"}
    assert keys == {"plan:2026-11-26", "plan:2026-11-27"}  # today's ran, tomorrow's is booked


async def test_a_429_waits_the_asked_time_without_counting_a_failure(
    bot: Bot, clock: FixedClock
) -> None:
    from bot.core.messenger import RateLimited
    from bot.core.reply import Reply
    from storage.models import Channel

    class Slow(ConsoleMessenger):
        answered_429 = False

        async def post(self, channel: Channel, reply: Reply) -> str | None:
            if not self.answered_429:
                self.answered_429 = True
                raise RateLimited(30)
            return await super().post(channel, reply)

    bot.messengers["console"] = Slow()
    channel = await add_channel(bot.database, "general")
    await put(bot, clock, "x", (Target.CHANNEL, channel))
    worker = dispatcher(bot)
    await worker.run_once()
    [job] = await jobs(bot.database)
    assert (job.status, job.attempts) == ("pending", 0)
    assert job.claimed_until == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    await worker.run_once()
    assert texts(bot) == []
    clock.advance(timedelta(seconds=1))
    await worker.run_once()
    assert texts(bot) == ["x"]


async def test_a_person_only_on_a_platform_this_process_lacks_is_retried(
    bot: Bot, clock: FixedClock
) -> None:
    from storage.models import Identity

    person = await person_id(bot.database, "Sara Nilsson", with_account=False)
    async with bot.database.transaction() as session:
        session.add(Identity(person_id=person, platform="teams", workspace="t", user_id="aad"))
    await put(bot, clock, "x", (Target.PERSON, person))
    await dispatcher(bot).run_once()
    [job] = await jobs(bot.database)
    assert (job.status, job.attempts) == ("pending", 1)
    assert "no messenger for teams" in (job.last_error or "")
