"""The renewal, as the Brå coordinator and the kommunpolis would walk it: Brå's proposal
co-approved, the two decisions recorded, the successor registered and in force on its first
day; an extension moving the end; and the plain run-out state when nothing is recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.home import build_home
from bot.core.request import ChannelRef, PlatformUser, Request
from bot.digest.build import DigestContext, compose
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned, run_planners
from bot.scheduler.settings import SchedulerSettings
from storage.models import Agreement, Job
from storage.models_lifecycle import PromiseDocument
from tests.conftest import Chat
from tests.drafts_helpers import add_channel, press
from tests.lifecycle_helpers import DECEMBER_3, add_promises, set_clock
from tests.scheduler.helpers import job_kinds, person_id, run_until

PROPOSAL = (
    "Förslag till samverkansöverenskommelse 2027–2030 mellan Östra Göinge kommun och "
    "lokalpolisområde Hässleholm, framtaget av lokala Brå."
)


def endings(bot: Bot) -> list[str]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [
        reply.plain_text()
        for where, reply in messenger.posted
        if where.startswith("direct:") and (reply.heading or "").endswith("löper ut")
    ]


async def plan_now(bot: Bot) -> list[Job]:
    async with bot.database.transaction() as session:
        await run_planners(
            bot.catalog.planners,
            session,
            bot.clock.now(),
            bot.settings.tz,
            SchedulerSettings(),  # type: ignore[call-arg]
        )
    async with bot.database.sessions() as session:
        return list((await session.scalars(select(Job))).all())


async def test_decisions_then_the_successor_in_force_on_its_first_day(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)  # next year's promises, made under the agreement that ends
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    anna = await person_id(bot.database, "Anna Lindqvist")
    await person_id(bot.database, "Veronica Gustafsson")

    # Brå's proposal goes through the joint drafts: one approver of each party.
    said = await chat.text("Anna Lindqvist", f"förnyelse förslag {PROPOSAL}")
    assert "Brå:s förslag är sparat som utkast U1" in said
    shown = await chat.text("Sara Nilsson", "förnyelse")
    assert "1. Brå:s förslag, godkänt av båda parter – Brå-samordnare (Anna Lindqvist) – " in shown
    assert "väntar på godkännande (U1)" in shown
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1})
    await press(bot, "Niklas Årcén", "draft.approve", {"draft": 1, "version": 1})
    shown = await chat.text("Sara Nilsson", "förnyelse")
    assert "klart 3 december 2026 (U1)" in shown

    # The two decisions.
    await chat.text(
        "Anna Lindqvist", "förnyelse beslut kommunstyrelsen 2026-12-10 § 123 dnr KS 2026/456"
    )
    await chat.text("Veronica Gustafsson", "förnyelse beslut polisen 2026-12-14 dnr A123/2026")

    # The 7-day reminder names only what is still missing.
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2026, 12, 24, tzinfo=UTC))
    [to_anna, to_veronica] = endings(bot)
    assert to_anna == to_veronica
    assert (
        "Det som saknas: undertecknande, den nya överenskommelsen registrerad i boten." in to_anna
    )

    # Signed, registered; the old one still in force to its last day.
    clock.set(datetime(2026, 12, 28, 9, tzinfo=UTC))
    await chat.text("Anna Lindqvist", "förnyelse undertecknad 2026-12-18")
    said = await chat.text("Veronica Gustafsson", "förnyelse ny 2027-01-01 2030-12-31")
    assert "Samverkansöverenskommelse 2027–2030 är registrerad" in said
    clock.set(datetime(2026, 12, 31, 12, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert text.startswith("Samverkansöverenskommelse 2023–2026")
    assert "Dagar kvar: 0 dagar" in text
    assert "Därefter: Samverkansöverenskommelse 2027–2030 (1 januari 2027 – 31 december 2030)" in (
        text
    )
    assert "har löpt ut" not in text

    # New year's day: the successor is in force, and next year's promises moved with it.
    clock.set(datetime(2027, 1, 1, 9, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert text.startswith("Samverkansöverenskommelse 2027–2030")
    assert "Dagar kvar: 1460 dagar" in text and "har löpt ut" not in text
    cycle = await chat.text("Sara Nilsson", "årshjul")
    assert cycle.startswith("Årshjulet 2027 – Samverkansöverenskommelse 2027–2030")
    async with bot.database.sessions() as session:
        new = await session.scalar(select(Agreement).where(Agreement.key == "2027-2030"))
        document = await session.scalar(select(PromiseDocument).where(PromiseDocument.year == 2027))
    assert new is not None and document is not None and document.agreement_id == new.id
    assert "L1 Trafikkontroller vid skolorna" in await chat.text("Sara Nilsson", "löften 2027")
    # The cycle of 2027 goes on under the new agreement, and its points are said once.
    await run_until(dispatcher, clock, datetime(2027, 1, 16, tzinfo=UTC))
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    told = [
        reply.text
        for where, reply in messenger.posted
        if where == f"direct:{anna}" and "15 januari 2027" in reply.text
    ]
    # Once, from the new agreement; the old one's reminder planned before the successor
    # was registered says nothing.
    assert told == ["Uppföljning av förra årets medborgarlöfte: i dag, 15 januari 2027."]
    jobs = [j for j in await plan_now(bot) if j.kind == "cycle" and j.status == "pending"]
    assert jobs and {j.payload["agreement"] for j in jobs} == {"2027-2030"}


async def test_an_extension_moves_the_end_and_its_reminders(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    set_clock(bot, DECEMBER_3)
    await person_id(bot.database, "Anna Lindqvist")
    await person_id(bot.database, "Veronica Gustafsson")
    said = await chat.text(
        "Veronica Gustafsson",
        "förläng till 2027-06-30 beslut KS 2026-12-10 § 130 och lokalpolischefen 2026-12-11",
    )
    assert "gäller nu till och med onsdag 30 juni 2027" in said
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 1, 5, tzinfo=UTC))
    assert endings(bot) == []  # the old end is no longer the end
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert "Gäller: 1 januari 2023 – 30 juni 2027 (förlängd från 31 december 2026)" in text
    assert "har löpt ut" not in text
    clock.set(datetime(2027, 5, 20, 9, tzinfo=UTC))
    planned = [j for j in await plan_now(bot) if j.kind == "agreement_end"]
    assert {j.payload["date"] for j in planned} == {"2027-06-30"}


async def test_run_out_with_nothing_recorded_in_command_home_and_digest(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    clock.set(datetime(2027, 1, 10, 9, tzinfo=UTC))
    missing = (
        "Det som saknas: Brå:s förslag, beslut i kommunstyrelsen, beslut av lokalpolischefen, "
        "undertecknande, den nya överenskommelsen registrerad i boten."
    )
    run_out = "har löpt ut. Ingen ny överenskommelse och ingen förlängning är registrerad"
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert run_out in text and missing in text
    sara = await person_id(bot.database, "Sara Nilsson")
    request = Request(
        user=PlatformUser(platform="console", user_id=str(sara)),
        channel=ChannelRef(platform="console", channel_id="home", is_direct=True),
        person_id=sara,
    )
    [home] = await build_home(bot, request)
    section = next(s for s in home.sections if s.title == "Samverkansöverenskommelsen")
    assert run_out in section.items[0] and missing in section.items[0]
    assert "Gäller" not in section.items[0]
    async with bot.database.sessions() as session:
        digest = await compose(
            DigestContext(session, bot.translator("sv"), clock.now(), bot.settings.tz),
            bot.catalog.digest_sections,
        )
    text = digest.plain_text()
    assert run_out in text and missing in text
    assert "gäller" not in text.split(run_out)[0].lower().split("årshjulet")[-1]
    jobs = [j for j in await plan_now(bot) if j.kind == "cycle"]
    assert {j.payload["date"] for j in jobs} >= {"2027-01-15", "2027-02-15"}
