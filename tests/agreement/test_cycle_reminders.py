"""The yearly cycle and the agreement's end reach the responsible people on working mornings;
an overdue point is chased until ticked off, and the cycle goes on after the end while no
successor is registered."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned, run_planners
from bot.scheduler.settings import SchedulerSettings
from storage.models import Job
from tests.drafts_helpers import press
from tests.scheduler.helpers import job_kinds, person_id, run_until

Sent = list[tuple[datetime, int, str, str]]


def record_direct(bot: Bot, clock: FixedClock) -> Sent:
    """Every direct message from now on: when, to whom, heading and text."""
    sent: Sent = []
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    original = messenger.send_direct

    async def record(identity, reply):  # type: ignore[no-untyped-def]
        sent.append((clock.now(), identity.person_id, reply.heading or "", reply.plain_text()))
        return await original(identity, reply)

    messenger.send_direct = record  # type: ignore[method-assign]
    return sent


def at(day: int, month: int = 12, year: int = 2026) -> datetime:
    """08.00 in Stockholm in winter."""
    return datetime(year, month, day, 7, 0, tzinfo=UTC)


async def test_a_month_of_cycle_and_agreement_end_reminders(bot: Bot, clock: FixedClock) -> None:
    anna = await person_id(bot.database, "Anna Lindqvist")  # bra_coordinator
    veronica = await person_id(bot.database, "Veronica Gustafsson")  # kommunpolis
    await person_id(bot.database, "Niklas Årcén")  # neither role
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    sent = record_direct(bot, clock)
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 1, 2, tzinfo=UTC))

    def to(person: int, heading: str) -> list[tuple[datetime, str]]:
        return [(when, text) for when, who, h, text in sent if who == person and h == heading]

    # 1 December: the yearly follow-up, and 30 days left, naming what is still missing.
    coming = to(anna, "Årshjulet")
    assert [when for when, _ in coming] == [at(1), at(30)]
    assert "Årlig uppföljning" in coming[0][1]
    # The cycle goes on past the end: the January follow-up of 2027, 16 days ahead
    # (1 January is a holiday and the 31st an eve, so the 14-day reminder comes on the 30th).
    assert (
        "Uppföljning av förra årets medborgarlöfte: 15 januari 2027, om 16 dagar" in (coming[1][1])
    )
    ending = to(veronica, "Samverkansöverenskommelse 2023–2026 löper ut")
    # Christmas Eve is a day off: the 7-day reminder comes on the 23rd, 8 days before.
    assert [when for when, _ in ending] == [at(1), at(23)]
    assert "30 dagar" in ending[0][1] and "8 dagar" in ending[1][1]
    assert "kommunstyrelsen" in ending[1][1] and "lokalpolischefen" in ending[1][1]
    assert (
        "Det som saknas: Brå:s förslag, beslut i kommunstyrelsen, beslut av lokalpolischefen, "
        "undertecknande, den nya överenskommelsen registrerad i boten."
    ) in ending[1][1]
    # The yearly follow-up was not ticked off: chased weekly from the day after.
    late = [when for when, text in to(anna, "Försenat i årshjulet") if "Årlig uppföljning" in text]
    assert late == [at(2), at(9), at(16), at(23)]
    assert not [who for _, who, _, _ in sent if who not in (anna, veronica)]


async def test_an_overdue_point_ticked_off_with_its_button_is_chased_no_more(
    bot: Bot, clock: FixedClock
) -> None:
    anna = await person_id(bot.database, "Anna Lindqvist")
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    sent = record_direct(bot, clock)
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2026, 12, 3, tzinfo=UTC))
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    nudge = next(
        reply
        for where, reply in messenger.posted
        if where == f"direct:{anna}"
        and reply.heading == "Försenat i årshjulet"
        and "Årlig uppföljning" in reply.text
    )
    [button] = nudge.buttons
    assert button.label == "Markera som klar"
    [done] = await press(bot, "Anna Lindqvist", button.route, dict(button.payload))
    assert "(1 december 2026) är markerad som klar" in done.plain_text()
    await run_until(dispatcher, clock, datetime(2026, 12, 31, tzinfo=UTC))
    chased = [
        when
        for when, who, heading, text in sent
        if who == anna and heading == "Försenat i årshjulet" and "Årlig uppföljning" in text
    ]
    assert chased == [at(2)]


async def test_after_the_end_with_nothing_recorded_reminders_are_still_planned(
    bot: Bot, clock: FixedClock
) -> None:
    await person_id(bot.database, "Anna Lindqvist")
    await person_id(bot.database, "Veronica Gustafsson")
    clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    async with bot.database.transaction() as session:
        await run_planners(
            bot.catalog.planners,
            session,
            clock.now(),
            bot.settings.tz,
            SchedulerSettings(),  # type: ignore[call-arg]
        )
    async with bot.database.sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == "cycle"))).all()
    planned = {(job.payload["event"], job.payload["date"]) for job in jobs}
    assert ("uppfoljning_medborgarlofte", "2027-01-15") in planned
    assert ("medborgarlofte", "2027-02-15") in planned  # 14 days before, inside the horizon
    assert all(job.payload["agreement"] == "2023-2026" for job in jobs)
