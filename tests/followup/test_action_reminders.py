"""Action items: the owner is reminded on the due date, nudged after it, until it is done."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.settings import SchedulerSettings
from tests.conftest import Chat
from tests.scheduler.helpers import add_action_item, job_kinds, person_id, run_until


async def test_due_day_reminder_weekly_nudges_and_done_ends_them(
    bot: Bot, clock: FixedClock, chat: Chat
) -> None:
    sara = await person_id(bot.database, "Sara Nilsson")
    await add_action_item(bot, "Boka lokal", "Sara Nilsson", date(2026, 11, 30))
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    got: list[tuple[datetime, Reply]] = []
    original = messenger.send_direct

    async def record(identity, reply):  # type: ignore[no-untyped-def]
        got.append((clock.now(), reply))
        return await original(identity, reply)

    messenger.send_direct = record  # type: ignore[method-assign]
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await run_until(dispatcher, clock, datetime(2026, 12, 9, tzinfo=UTC))
    assert [at for at, _ in got] == [
        datetime(2026, 11, 30, 7, 0, tzinfo=UTC),  # the due date, 08:00 Stockholm
        datetime(2026, 12, 1, 7, 0, tzinfo=UTC),  # overdue: next working morning
        datetime(2026, 12, 8, 7, 0, tzinfo=UTC),  # and a week later
    ]
    assert "senast i dag" in got[0][1].text and "skulle ha varit klar" in got[1][1].text
    assert all(messenger.posted[n][0] == f"direct:{sara}" for n in range(3))
    # Pressing the card's Klar button closes it; the next weekly nudge sends nothing.
    session = await chat.session("Sara Nilsson")
    session.choices = list(got[-1][1].buttons)
    pressed = await session.press(1)
    assert "är klar" in pressed[0].text
    await run_until(dispatcher, clock, datetime(2026, 12, 31, tzinfo=UTC))
    assert len(got) == 3


async def test_reminders_of_items_in_a_no_personal_text_forum_repeat_the_warning(
    bot: Bot, clock: FixedClock
) -> None:
    await person_id(bot.database, "Sara Nilsson")
    await add_action_item(bot, "Boka rum", "Sara Nilsson", date(2026, 11, 30), forum="spindel")
    await add_action_item(bot, "Boka lokal", "Sara Nilsson", date(2026, 11, 30))
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await run_until(dispatcher, clock, datetime(2026, 11, 30, 12, tzinfo=UTC))
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    by_text = {r.text.split(" – ")[0]: r for _, r in messenger.posted}
    assert "Skriv inga uppgifter om enskilda personer" in (by_text["A1 Boka rum"].context or "")
    assert by_text["A2 Boka lokal"].context is None
