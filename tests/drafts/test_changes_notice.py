"""A change request reaches the draft's author directly, once, within working hours."""

from __future__ import annotations

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.settings import SchedulerSettings
from tests.common.test_working_time import local
from tests.drafts_helpers import add_channel as add_joint_channel
from tests.drafts_helpers import press, say
from tests.scheduler.helpers import job_kinds, jobs, person_id, run_until

CHANGES = {"draft": 1, "version": 1, "comment": "Skriv ut tiden för tändningen."}


async def _draft_by_erik(bot: Bot, clock: FixedClock) -> tuple[Dispatcher, ConsoleMessenger]:
    await add_joint_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await person_id(bot.database, "Erik Holm")  # an account, so he can be written to
    clock.set(local(2026, 11, 26, 10, 0))  # Thursday
    await say(bot, "Erik Holm", "utkast Budskap om julmarknaden.")
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    return dispatcher, messenger


def _told(messenger: ConsoleMessenger, author: int) -> list[Reply]:
    return [
        reply
        for where, reply in messenger.posted
        if where == f"direct:{author}" and "har begärt ändring" in reply.text
    ]


async def test_the_author_is_told_who_asked_for_what_once(bot: Bot, clock: FixedClock) -> None:
    dispatcher, messenger = await _draft_by_erik(bot, clock)
    erik = await person_id(bot.database, "Erik Holm")

    answer = await press(bot, "Merete Tillman", "draft.request_changes", CHANGES)
    await run_until(dispatcher, clock, local(2026, 11, 26, 10, 5))
    await press(bot, "Merete Tillman", "draft.request_changes", CHANGES, event_id="again")
    await run_until(dispatcher, clock, local(2026, 11, 26, 11, 0))

    assert "Författaren får besked" in answer[0].text
    (told,) = _told(messenger, erik)
    assert (
        "Merete Tillman (Kommunen) har begärt ändring i ditt utkast U1 ”Budskap om julmarknaden.”"
        in told.text
    )
    assert "”Skriv ut tiden för tändningen.”" in told.text
    assert [(b.route, b.payload) for b in told.buttons] == [
        ("draft.edit", {"draft": 1, "version": 1})
    ]


async def test_a_request_late_in_the_evening_waits_for_the_working_morning(
    bot: Bot, clock: FixedClock
) -> None:
    dispatcher, messenger = await _draft_by_erik(bot, clock)
    erik = await person_id(bot.database, "Erik Holm")
    clock.set(local(2026, 11, 26, 21, 30))

    await press(bot, "Merete Tillman", "draft.request_changes", CHANGES)
    await run_until(dispatcher, clock, local(2026, 11, 27, 7, 59))
    assert _told(messenger, erik) == []
    await run_until(dispatcher, clock, local(2026, 11, 27, 8, 30))
    assert len(_told(messenger, erik)) == 1


async def test_nothing_is_sent_once_the_author_has_edited(bot: Bot, clock: FixedClock) -> None:
    dispatcher, messenger = await _draft_by_erik(bot, clock)
    erik = await person_id(bot.database, "Erik Holm")
    clock.set(local(2026, 11, 26, 21, 30))
    await press(bot, "Merete Tillman", "draft.request_changes", CHANGES)

    await press(bot, "Erik Holm", "draft.edit", {"draft": 1, "version": 1, "text": "Ny text."})
    await run_until(dispatcher, clock, local(2026, 11, 27, 12, 0))

    assert _told(messenger, erik) == []


async def test_an_author_who_asks_for_changes_is_not_told_about_it(
    bot: Bot, clock: FixedClock
) -> None:
    await _draft_by_erik(bot, clock)

    await press(bot, "Erik Holm", "draft.request_changes", CHANGES)

    assert [job.kind for job in await jobs(bot.database)].count("draft_changes_requested") == 0
