"""The weekly digest: when it is posted, what it holds, and that its query count is constant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.common.i18n import Translator
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.digest.build import DigestContext, compose
from bot.digest.planner import digest_moment
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from storage.db import Database
from storage.models import ChannelBinding, Forum, Person
from tests.scheduler.helpers import add_action_item, add_channel, job_kinds, run_until

TZ = ZoneInfo("Europe/Stockholm")
SETTINGS = SchedulerSettings(rates={})  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("monday", "expected"),
    [
        (date(2027, 3, 22), datetime(2027, 3, 22, 7, 0, tzinfo=UTC)),  # winter time
        (date(2027, 3, 29), datetime(2027, 3, 30, 6, 0, tzinfo=UTC)),  # Easter Monday → Tue
        (date(2027, 4, 5), datetime(2027, 4, 5, 6, 0, tzinfo=UTC)),  # summer time
        (date(2027, 10, 25), datetime(2027, 10, 25, 6, 0, tzinfo=UTC)),
        (date(2027, 11, 1), datetime(2027, 11, 1, 7, 0, tzinfo=UTC)),  # after 31 October
        (date(2028, 5, 1), datetime(2028, 5, 2, 6, 0, tzinfo=UTC)),  # May Day → Tuesday
        (date(2029, 12, 24), datetime(2029, 12, 27, 7, 0, tzinfo=UTC)),  # Christmas → Thu
    ],
)
def test_digest_is_at_eight_local_on_the_first_working_day(
    monday: date, expected: datetime
) -> None:
    assert digest_moment(monday, TZ, SETTINGS) == expected


async def subscribe(database: Database, name: str) -> int:
    channel = await add_channel(database, name)
    async with database.transaction() as session:
        session.add(ChannelBinding(channel_id=channel, purpose="digest"))
    return channel


async def test_weekly_digests_across_the_spring_change_and_easter(
    bot: Bot, clock: FixedClock
) -> None:
    await subscribe(bot.database, "sammanfattning")
    clock.set(datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    posted: list[datetime] = []
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    original = messenger.post

    async def record(channel, reply):  # type: ignore[no-untyped-def]
        posted.append(clock.now())
        return await original(channel, reply)

    messenger.post = record  # type: ignore[method-assign]
    await ensure_planned(bot.database, clock.now(), TZ)
    await run_until(
        Dispatcher(bot, SETTINGS, kinds=job_kinds()), clock, datetime(2027, 4, 7, tzinfo=UTC)
    )
    assert posted == [
        datetime(2027, 3, 22, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 6, 0, tzinfo=UTC),
        datetime(2027, 4, 5, 6, 0, tzinfo=UTC),
    ]
    assert all(r.heading and "Veckosammanfattning" in r.heading for _, r in messenger.posted)


async def person(database: Database, name: str) -> Person:
    async with database.sessions() as session:
        found = await session.scalar(select(Person).where(Person.name == name))
        assert found is not None
        return found


async def test_digest_lists_overdue_and_this_weeks_items_and_the_cycle(bot: Bot) -> None:
    await add_action_item(bot, "Boka lokal", "Anna Lindqvist", date(2026, 11, 20))
    await add_action_item(bot, "Skicka inbjudan", "Veronica Gustafsson", date(2026, 11, 27))
    await add_action_item(bot, "Nästa vecka", "Veronica Gustafsson", date(2026, 12, 4))
    await add_action_item(bot, "Tillsynsplan", "Lars Persson", date(2026, 11, 25), "tillsyn")
    async with bot.database.sessions() as session:
        t = bot.translator("sv")
        reply = await compose(
            DigestContext(session, t, bot.clock.now(), TZ), bot.catalog.digest_sections
        )
    text = reply.plain_text()
    assert "A1 Boka lokal – Anna Lindqvist, senast 20 november 2026 (försenad)" in text
    assert "A2 Skicka inbjudan – Veronica Gustafsson, senast 27 november 2026" in text
    assert "Nästa vecka" not in text
    assert "Tillsynsplan" not in text  # need-to-know forum
    assert "gäller 35 dagar till" in text and "Ingen ny överenskommelse" in text
    assert "1 december 2026: Årlig uppföljning" in text
    assert [b.route for b in reply.buttons] == ["digest.full"]


async def test_digest_query_count_does_not_grow_with_the_data(bot: Bot) -> None:
    async def count_queries() -> int:
        statements: list[str] = []

        def before(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(bot.database.engine.sync_engine, "before_cursor_execute", before)
        try:
            async with bot.database.sessions() as session:
                await compose(
                    DigestContext(session, bot.translator("sv"), bot.clock.now(), TZ),
                    bot.catalog.digest_sections,
                )
        finally:
            event.remove(bot.database.engine.sync_engine, "before_cursor_execute", before)
        return len(statements)

    from tests.drafts_helpers import add_channel as add_joint_channel
    from tests.drafts_helpers import say

    await add_joint_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await add_action_item(bot, "En", "Anna Lindqvist", date(2026, 11, 20))
    await say(bot, "Erik Holm", "utkast Det första.")
    await add_meetings(bot, 1)
    few = await count_queries()
    for n in range(25):
        owner = ["Anna Lindqvist", "Veronica Gustafsson", "Sara Nilsson"][n % 3]
        await add_action_item(bot, f"Punkt {n}", owner, date(2026, 11, 20) + timedelta(days=n % 9))
    for n in range(5):
        await say(bot, "Erik Holm", f"utkast Budskap nummer {n}.")
    await add_meetings(bot, 12)
    assert await count_queries() == few


async def add_meetings(bot: Bot, count: int) -> None:
    """Meetings spread over last week and this week, some with attendance."""
    from storage.models import Attendance, Meeting

    async with bot.database.transaction() as session:
        forums = list((await session.scalars(select(Forum))).unique().all())
        people = list((await session.scalars(select(Person))).unique().all())
        for n in range(count):
            when = datetime(2026, 11, 17, 8, 0, tzinfo=UTC) + timedelta(days=n % 12, hours=n)
            meeting = Meeting(
                forum_id=forums[n % len(forums)].id,
                starts_at=when,
                status="scheduled",
                created_at=when,
            )
            session.add(meeting)
            await session.flush()
            who = people[n % len(people)]
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=who.id,
                    organization_id=who.organization_id,
                    registered_at=when,
                )
            )


async def test_preview_subscribe_and_full_lists_in_chat(chat: Any, bot: Bot) -> None:
    for n in range(9):
        await add_action_item(bot, f"Punkt {n}", "Anna Lindqvist", date(2026, 11, 20))
    preview = await chat.text("Sara Nilsson", "sammanfattning")
    assert "Veckosammanfattning, vecka 48" in preview and "… och 3 till" in preview
    refused = await chat.text("Sara Nilsson", "sammanfattning prenumerera", channel="allmant")
    assert "administratör" in refused
    done = await chat.text("Anna Lindqvist", "sammanfattning prenumerera", channel="allmant")
    assert "får nu veckosammanfattningen" in done
    again = await chat.text("Anna Lindqvist", "digest subscribe", channel="allmant")
    assert "already" in again  # typed in English by someone with no language chosen
    session = await chat.session("Sara Nilsson")
    await session.say("sammanfattning")
    full = "\n".join(r.plain_text() for r in await session.press(1))
    assert "Punkt 8" in full and "till" not in full.split("Årshjulet")[0].split("Punkt 8")[1]
    stopped = await chat.text("Anna Lindqvist", "sammanfattning avsluta", channel="allmant")
    assert "inte längre" in stopped


async def test_digest_shows_drafts_waiting_and_for_whom(bot: Bot) -> None:
    from tests.drafts_helpers import add_channel as add_joint_channel
    from tests.drafts_helpers import press, say

    await add_joint_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await say(bot, "Erik Holm", "utkast Budskap om julmarknaden.")
    await say(bot, "Erik Holm", "utkast Trygghetsvandring i Broby.")
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1})
    async with bot.database.sessions() as session:
        reply = await compose(
            DigestContext(session, bot.translator("sv"), bot.clock.now(), TZ),
            bot.catalog.digest_sections,
        )
    text = reply.plain_text()
    assert "U1 ”Budskap om julmarknaden.” – väntar på Polisen" in text
    assert "U2 ”Trygghetsvandring i Broby.” – väntar på" in text
    line = next(x for x in text.splitlines() if "U2" in x)
    assert "Polisen" in line and "Kommunen" in line


async def test_digest_meetings_last_week_with_representation_and_this_week(bot: Bot) -> None:
    from storage.models import Attendance, Meeting

    async with bot.database.transaction() as session:
        forums = {f.key: f for f in (await session.scalars(select(Forum))).unique().all()}
        niklas = await session.scalar(select(Person).where(Person.name == "Niklas Årcén"))
        assert niklas is not None

        def meeting(key: str, when: datetime, place: str | None = None) -> Meeting:
            return Meeting(
                forum_id=forums[key].id,
                starts_at=when,
                place=place,
                status="scheduled",
                created_at=when,
            )

        past = meeting("bra", datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
        secret = meeting("tillsyn", datetime(2026, 11, 18, 8, 0, tzinfo=UTC))
        soon = meeting("bra", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "Kommunhuset")
        session.add_all([past, secret, soon])
        await session.flush()
        session.add(
            Attendance(
                meeting_id=past.id,
                person_id=niklas.id,
                organization_id=niklas.organization_id,
                registered_at=past.starts_at,
            )
        )
    async with bot.database.sessions() as session:
        reply = await compose(
            DigestContext(session, bot.translator("sv"), bot.clock.now(), TZ),
            bot.catalog.digest_sections,
        )
    text = reply.plain_text()
    assert "17 november 2026 Lokala Brottsförebyggande rådet (Brå): " in text
    assert "Kommunen saknades, Polisen representerad" in text
    assert (
        "fredag 27 november 2026 kl. 13.00 Lokala Brottsförebyggande rådet (Brå), Kommunhuset"
        in text
    )
    assert "tillsyn" not in text.lower()  # need-to-know


async def test_the_linked_room_on_the_other_platform_gets_the_digest_too(
    bot: Bot, clock: FixedClock
) -> None:
    from tests.drafts_helpers import link

    slack_side = await subscribe(bot.database, "sammanfattning")
    teams_side = await add_channel(bot.database, "19:room@thread.tacv2")
    await add_channel(bot.database, "unrelated")
    await link(bot.database, slack_side, teams_side)
    await ensure_planned(bot.database, clock.now(), TZ)
    dispatcher = Dispatcher(bot, SETTINGS, kinds=job_kinds())
    await run_until(dispatcher, clock, datetime(2026, 12, 1, tzinfo=UTC))
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    where = sorted(
        w for w, r in messenger.posted if r.heading and "Veckosammanfattning" in r.heading
    )
    assert where == ["19:room@thread.tacv2", "sammanfattning"]


async def _compose(bot: Bot, session: AsyncSession, t: Translator | None = None) -> Reply:
    """The digest as the bot would post it now, in Swedish unless told otherwise."""
    context = DigestContext(session, t or bot.translator("sv"), bot.clock.now(), TZ)
    return await compose(context, bot.catalog.digest_sections)
