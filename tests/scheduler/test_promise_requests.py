"""Before a tertial report each owner of an open commitment is asked for its status, with
buttons; an unanswered one is nudged after the report and shows as overdue in the digest."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.reply import Reply
from bot.digest.build import DigestContext, compose
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from tests.conftest import Chat
from tests.drafts_helpers import press
from tests.lifecycle_helpers import DECEMBER_3, add_promises, set_clock
from tests.scheduler.helpers import job_kinds, person_id, run_until


def direct(bot: Bot, person: int, heading: str) -> list[Reply]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [
        reply
        for where, reply in messenger.posted
        if where == f"direct:{person}" and (reply.heading or "").startswith(heading)
    ]


async def test_status_requests_buttons_nudges_and_the_digest(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    ahmed = await person_id(bot.database, "Ahmed Karimi")
    sara = await person_id(bot.database, "Sara Nilsson")
    anna = await person_id(bot.database, "Anna Lindqvist")
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    sent_at: list[tuple[datetime, int, str]] = []
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    original = messenger.send_direct

    async def record(identity, reply):  # type: ignore[no-untyped-def]
        sent_at.append((clock.now(), identity.person_id, reply.heading or ""))
        return await original(identity, reply)

    messenger.send_direct = record  # type: ignore[method-assign]

    clock.set(datetime(2027, 5, 10, 5, 0, tzinfo=UTC))
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 5, 18, tzinfo=UTC))

    # Monday 17 May 08.00 in Stockholm, two weeks before the first tertial report.
    asked = [(at, who) for at, who, h in sent_at if h.startswith("Status inför")]
    monday = datetime(2027, 5, 17, 6, 0, tzinfo=UTC)
    assert sorted(asked) == sorted([(monday, ahmed), (monday, sara), (monday, anna)])
    [request] = direct(bot, ahmed, "Status inför Första tertialrapporten (31 maj 2027)")
    assert "L1 Trafikkontroller vid skolorna – Polisen, Ahmed Karimi" in request.text
    labels = [b.label for b in request.buttons]
    assert labels == ["Pågår", "Genomförd", "Försenad", "Utgår", "Ange utfall"]

    # Ahmed answers with the buttons; Sara does not answer.
    in_progress = next(b for b in request.buttons if b.label == "Pågår")
    await press(bot, "Ahmed Karimi", in_progress.route, dict(in_progress.payload))
    outcome = next(b for b in request.buttons if b.label == "Ange utfall")
    [form] = await press(bot, "Ahmed Karimi", outcome.route, dict(outcome.payload))
    assert form.form is not None
    values = {**form.form.payload, "outcome": "12", "comment": "Två skolor kvar"}
    [saved] = await press(bot, "Ahmed Karimi", form.form.route, values)
    assert "utfall 12 av 40 trafikkontroller, pågår" in saved.plain_text()

    await run_until(dispatcher, clock, datetime(2027, 6, 2, tzinfo=UTC))
    nudged = [(at, who) for at, who, h in sent_at if h.startswith("Ett åtagande saknar")]
    tuesday = datetime(2027, 6, 1, 6, 0, tzinfo=UTC)  # the first working morning after
    # Anna's L3 is overdue by its own date (1 March) and was nudged for that, not again here.
    assert nudged == [(tuesday, sara)]
    [nudge] = direct(bot, sara, "Ett åtagande saknar statusuppdatering")
    assert nudge.text == (
        "L2 Trygghetsvandringar i Broby centrum – Sara Nilsson: "
        "ingen statusuppdatering inför rapporten 31 maj 2027"
    )
    assert nudge.buttons[0].route == "promise.status"

    clock.set(datetime(2027, 6, 7, 6, 0, tzinfo=UTC))
    async with bot.database.sessions() as session:
        digest = await compose(
            DigestContext(session, bot.translator("sv"), clock.now(), bot.settings.tz),
            bot.catalog.digest_sections,
        )
    section = next(s for s in digest.sections if s.title == "Medborgarlöften")
    assert section.items[0] == (
        "2027: Kommunen: 1 ej påbörjad; Polisen: 1 pågår; Gemensamt: 1 ej påbörjad"
    )
    assert (
        "L2 Trygghetsvandringar i Broby centrum – Sara Nilsson: ingen statusuppdatering inför "
        "rapporten 31 maj 2027"
    ) in section.items
    assert (
        "L3 Bättre belysning i Folkets park – Anna Lindqvist: skulle vara klart 1 mars 2027"
    ) in section.items
    assert not [line for line in section.items if line.startswith("L1 ")]


async def test_a_closed_commitment_is_not_asked_about(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    ahmed = await person_id(bot.database, "Ahmed Karimi")
    assert "genomförd" in await chat.text("Ahmed Karimi", "löfte L1 status genomförd")
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    clock.set(datetime(2027, 5, 10, 5, 0, tzinfo=UTC))
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 6, 2, tzinfo=UTC))
    assert direct(bot, ahmed, "Status inför") == []
    assert direct(bot, ahmed, "Ett åtagande saknar") == []
