"""`påminn mig` / `remind me` and `påminnelser` / `reminders`: personal reminders."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.settings import SchedulerSettings
from storage.models import AuditEvent, Job
from tests.conftest import Chat
from tests.scheduler.helpers import job_kinds, person_id, run_until


async def reminder_jobs(bot: Bot) -> list[Job]:
    async with bot.database.sessions() as session:
        query = select(Job).where(Job.kind == "reminder").order_by(Job.id)
        return list((await session.scalars(query)).all())


async def test_remind_me_tomorrow_is_sent_directly_then(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    sara = await person_id(bot.database, "Sara Nilsson")
    text = await chat.text("Sara Nilsson", "påminn mig i morgon kl 9 ring skolan")
    assert "Jag påminner dig fredag 27 november 2026 kl. 09.00: ring skolan" in text
    [job] = await reminder_jobs(bot)
    assert (job.target_kind, job.target_id) == ("person", sara)
    assert job.due == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await run_until(dispatcher, clock, datetime(2026, 11, 28, tzinfo=UTC))
    posted = bot.messengers["console"].posted  # type: ignore[attr-defined]
    reminders = [(w, r) for w, r in posted if r.heading == "Påminnelse"]
    assert reminders == [(f"direct:{sara}", reminders[0][1])]
    assert reminders[0][1].text == "ring skolan"


async def test_evening_and_weekend_reminders_wait_for_the_working_morning(
    chat: Chat, bot: Bot
) -> None:
    text = await chat.text("Sara Nilsson", "remind me saturday at 10 buy cake")
    # Typed in English by someone with no language chosen: answered in English.
    assert "Monday 30 November 2026 at 08:00" in text and "next working morning" in text
    [job] = await reminder_jobs(bot)
    assert job.due == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


async def test_unreadable_and_past_times_are_refused(chat: Chat, bot: Bot) -> None:
    assert "Jag förstår inte när" in await chat.text("Sara Nilsson", "påminn mig snart ring")
    assert "har redan varit" in await chat.text("Sara Nilsson", "påminn mig i dag kl 8 ring")
    assert await reminder_jobs(bot) == []


async def test_list_and_cancel_my_reminders(chat: Chat, bot: Bot) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 3/12 kl 10 skicka protokollet")
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 boka lokal")
    await chat.ask("Johan Berg", "påminn mig 1/12 kl 10 hans egen")
    listed = await chat.text("Sara Nilsson", "påminnelser")
    assert listed.index("boka lokal") < listed.index("skicka protokollet")
    assert "hans egen" not in listed
    # Numbered as made (stable when another is removed), listed by when they are due.
    assert "borttagen: boka lokal" in await chat.text("Sara Nilsson", "påminnelser ta bort 2")
    session = await chat.session("Sara Nilsson")
    await session.say("påminnelser")
    pressed = await session.press(1)
    assert "borttagen: skicka protokollet" in pressed[0].text
    assert "inga påminnelser" in await chat.text("Sara Nilsson", "påminnelser")
    assert "ingen påminnelse nummer 4" in await chat.text("Johan Berg", "påminnelser ta bort 4")
    statuses = [j.status for j in await reminder_jobs(bot)]
    assert statuses == ["cancelled", "cancelled", "pending"]


async def test_personnummer_is_refused_in_a_no_personal_text_forum_channel_held_elsewhere(
    chat: Chat, bot: Bot
) -> None:
    await chat.ask("Anna Lindqvist", "kanal forum spindel", channel="spindel")
    refused = await chat.ask(
        "Sara Nilsson", "påminn mig i morgon kl 9 ring om 19121212-1212", channel="spindel"
    )
    assert "personnummer" in refused[0].text and not refused[0].buttons
    assert await reminder_jobs(bot) == []
    held = await chat.ask("Sara Nilsson", "påminn mig i morgon kl 9 ring om 19121212-1212")
    assert "personnummer" in held[0].text and held[0].context
    assert "Skriv inga uppgifter om enskilda personer" in held[0].context
    assert await reminder_jobs(bot) == []
    session = await chat.session("Sara Nilsson")
    confirmed = await session.press(1)
    assert "Jag påminner dig" in confirmed[0].text
    assert len(await reminder_jobs(bot)) == 1
    async with bot.database.sessions() as db:
        audit = await db.scalar(select(AuditEvent).where(AuditEvent.action == "reminder.create"))
    assert audit is not None and audit.after and audit.after["confirmed_personnummer"] is True
    # Without a number nothing is held.
    plain = await chat.text("Sara Nilsson", "påminn mig i morgon kl 9 ring om skolan")
    assert "Jag påminner dig" in plain
