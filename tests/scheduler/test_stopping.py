"""A dispatcher asked to stop finishes its send and hands back the rest of its batch at once."""

from __future__ import annotations

import asyncio

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status, Target, schedule
from bot.scheduler.settings import SchedulerSettings
from storage.models import Channel
from tests.scheduler.helpers import add_channel, job_kinds, jobs, texts


class StoppingMessenger(ConsoleMessenger):
    """Sets the stop signal while its first send is in flight, as SIGTERM would."""

    def __init__(self, stop: asyncio.Event) -> None:
        super().__init__()
        self.stop = stop

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        self.stop.set()
        await asyncio.sleep(0)
        return await super().post(channel, reply)


async def test_stop_mid_batch_finishes_the_send_and_releases_the_rest(
    bot: Bot, clock: FixedClock
) -> None:
    stop = asyncio.Event()
    bot.messengers["console"] = StoppingMessenger(stop)
    channel = await add_channel(bot.database, "general")
    async with bot.database.transaction() as session:
        for number in range(5):
            await schedule(
                session,
                "say",
                clock.now(),
                {"text": f"message {number}"},
                (Target.CHANNEL, channel),
                f"stop-{number}",
                clock.now(),
            )
    settings = SchedulerSettings(rates={}, lease_seconds=3600)  # type: ignore[call-arg]
    first = Dispatcher(bot, settings, kinds=job_kinds(), worker="first")

    assert await first.run_once(stop=stop) == 5  # claimed the whole batch

    assert texts(bot) == ["message 0"]  # the send in flight was finished …
    states = [(j.status, j.claimed_by, j.claimed_until) for j in await jobs(bot.database)]
    assert states[0] == (Status.DONE.value, "first", None)
    assert states[1:] == [(Status.PENDING.value, None, None)] * 4  # … the rest handed back

    # Another dispatcher takes them now, with the same clock: no lease to wait out.
    bot.messengers["console"] = ConsoleMessenger()
    second = Dispatcher(bot, settings, kinds=job_kinds(), worker="second")
    assert await second.run_once() == 4
    assert texts(bot) == [f"message {n}" for n in range(1, 5)]
