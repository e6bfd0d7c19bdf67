"""Meeting reminders: the forum's channel the day before, those coming an hour before."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from storage.models import Meeting
from tests.conftest import Chat
from tests.drafts_helpers import press
from tests.scheduler.helpers import job_kinds, jobs, person_id, run_until


def meeting_posts(bot: Bot) -> list[tuple[str, Reply]]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [(w, r) for w, r in messenger.posted if r.heading and "Möte" in r.heading]


async def setup_meeting(chat: Chat) -> Dispatcher:
    await chat.ask("Anna Lindqvist", "kanal forum brå", channel="bra-kanal")
    await chat.ask("Anna Lindqvist", "möte brå 3/12 9.00 plats: Kommunhuset")
    return Dispatcher(chat.bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]


async def test_day_before_to_the_channel_and_hour_before_to_those_coming(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    dispatcher = await setup_meeting(chat)
    niklas = await person_id(bot.database, "Niklas Årcén")
    merete = await person_id(bot.database, "Merete Tillman")
    patric = await person_id(bot.database, "Patric Åberg")
    await press(bot, "Niklas Årcén", "meeting.rsvp", {"meeting": 1, "coming": True})
    await press(bot, "Patric Åberg", "meeting.rsvp", {"meeting": 1, "coming": False})
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    # Merete answers after the planning: she is still reminded.
    await press(bot, "Merete Tillman", "meeting.rsvp", {"meeting": 1, "coming": True})
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    sent_at: list[tuple[datetime, str]] = []
    original = messenger.send_direct

    async def record(identity, reply):  # type: ignore[no-untyped-def]
        sent_at.append((clock.now(), f"direct:{identity.person_id}"))
        return await original(identity, reply)

    messenger.send_direct = record  # type: ignore[method-assign]
    await run_until(dispatcher, clock, datetime(2026, 12, 4, tzinfo=UTC))
    posts = [(w, r.heading) for w, r in messenger.posted if r.heading and "Möte" in r.heading]
    assert ("bra-kanal", "Möte i morgon") in posts
    soon = [(at, who) for at, who in sent_at]
    hour_before = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert sorted(soon) == sorted(
        [(hour_before, f"direct:{niklas}"), (hour_before, f"direct:{merete}")]
    )
    assert f"direct:{patric}" not in {who for _, who in soon}
    day_before = next(r for w, r in messenger.posted if r.heading == "Möte i morgon")
    assert "M1 Lokala Brottsförebyggande rådet (Brå)" in day_before.text
    assert "Kommunhuset" in day_before.text


async def test_a_moved_meeting_gets_new_reminders_and_stale_ones_are_dropped(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    dispatcher = await setup_meeting(chat)
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await dispatcher.run_once()  # plans the day-before reminder for 2 December
    async with bot.database.transaction() as session:
        await session.execute(
            update(Meeting).values(starts_at=datetime(2026, 12, 10, 8, 0, tzinfo=UTC))
        )
    # Down from now until after the old meeting time: the old reminder is stale, dropped.
    clock.set(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    await run_until(dispatcher, clock, datetime(2026, 12, 11, tzinfo=UTC))
    reminders = [
        r for w, r in meeting_posts(bot) if w == "bra-kanal" and r.heading == "Möte i morgon"
    ]
    assert len(reminders) == 1 and "10 december" in reminders[0].text
    old = [
        j
        for j in await jobs(bot.database)
        if j.dedupe_key.startswith("meeting_day_before:1:2026-12-03")
    ]
    assert [j.status for j in old] == ["dropped"]


async def test_a_meeting_booked_for_later_today_is_reminded_without_waiting_for_planning(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    # 10.00 in Stockholm; the daily planning already ran at 03.00 and knew nothing of this.
    await chat.ask("Anna Lindqvist", "kanal forum brå", channel="bra-kanal")
    await chat.ask("Anna Lindqvist", "möte brå 26/11 14.00 plats: Kommunhuset")
    hour_before = [j for j in await jobs(bot.database) if j.kind == "meeting_hour"]
    assert [j.due for j in hour_before] == [datetime(2026, 11, 26, 12, 0, tzinfo=UTC)]

    # Moved to tomorrow: reminders for the new time are booked at once too.
    await chat.ask("Anna Lindqvist", "serie flytta M1 27/11 9.00")
    hour_before = [j for j in await jobs(bot.database) if j.kind == "meeting_hour"]
    assert sorted(j.due for j in hour_before) == [
        datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 7, 0, tzinfo=UTC),
    ]


async def test_booking_twice_the_same_day_books_each_reminder_once(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    await chat.ask("Anna Lindqvist", "möte brå 26/11 14.00")
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await run_until(dispatcher, clock, datetime(2026, 11, 26, 11, 0, tzinfo=UTC))
    keys = [j.dedupe_key for j in await jobs(bot.database) if j.kind == "meeting_hour"]
    assert len(keys) == len(set(keys)) == 1
