"""The full path of a year of citizen promises, as the Brå coordinator and the kommunpolis
would walk it: basis recorded → promises added → the promise text co-approved on Slack and on
Teams → tertial status requests sent and answered with buttons → an overdue commitment in the
digest → cycle points ticked off and one overdue. The real Slack and Teams adapters run against
their local fakes; everything else goes through the core with the injected clock.
"""

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
from tests.drafts.test_cross_platform import (
    APPROVED,
    KARIN_AAD,
    KARIN_TEAMS,
    Both,
    bind_and_install,
    both,
    connector,
    copies,
    fake_slack,
    link_by_code,
    teams_approve,
)
from tests.drafts_helpers import press
from tests.lifecycle_helpers import add_promises, record_basis
from tests.scheduler.helpers import job_kinds, person_id, run_until
from tests.slack.conftest import ANNA, ERIK
from tests.slack.messages import blocks_of, buttons
from tests.slack.test_drafts import click

__all__ = ["both", "connector", "fake_slack"]  # the fixtures this story borrows

PROMISE_TEXT = (
    "Medborgarlöften 2027 för Östra Göinge: polisen och kommunen lovar fler trafikkontroller "
    "vid skolorna, trygghetsvandringar i Broby centrum och bättre belysning i Folkets park."
)


def direct(bot: Bot, person: int, heading: str) -> list[Reply]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [
        reply
        for where, reply in messenger.posted
        if where == f"direct:{person}" and (reply.heading or "").startswith(heading)
    ]


async def digest_text(bot: Bot, clock: FixedClock) -> str:
    async with bot.database.sessions() as session:
        reply = await compose(
            DigestContext(session, bot.translator("sv"), clock.now(), bot.settings.tz),
            bot.catalog.digest_sections,
        )
    return reply.plain_text()


async def test_a_year_of_citizen_promises(
    both: Both, chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    # November 2026: the basis, then next year's promises.
    await record_basis(chat)
    await add_promises(chat)
    area = await chat.text(
        "Anna Lindqvist",
        "löften område Trygghet i Broby centrum underlag trygghetsmätning "
        "fynd Otrygghet kvällstid i centrum",
    )
    assert "(2027) är sparat" in area

    # The promise text, proposed on Slack, co-approved on Teams (police) and Slack (municipality).
    await bind_and_install(both)
    await link_by_code(both)
    await both.slack.command(f"löften text 2027 {PROMISE_TEXT}", user=ANNA)
    proposed = both.api.responses[-1]["text"]
    assert "Texten till medborgarlöftena 2027 är sparad som utkast U1" in proposed
    slack_card = both.slack_posts()[-1]
    assert "Medborgarlöften 2027" in slack_card["text"]
    assert "Årets medborgarlöften" in slack_card["text"]  # the draft's kind, on the card
    where = await copies(bot)
    assert set(where) == {"slack", "teams"}
    [teams_card] = [c for c in both.teams_sends() if c.answered_id == where["teams"]]
    police = await teams_approve(
        both, teams_card, where["teams"], KARIN_TEAMS, KARIN_AAD, "f:promise"
    )
    answer = await both.click_in_teams(police, where["teams"], KARIN_TEAMS, KARIN_AAD, "f:promise")
    assert answer["value"]["body"][-1]["text"] == "Du har godkänt version 1 av U1 för Polisen."
    approve = buttons(blocks_of(both.slack_posts()[-1]))["Godkänn"]
    await both.slack.interact(click(both.slack, ERIK, approve, ts=where["slack"]))
    assert APPROVED in both.slack_updates()[-1]["text"]
    assert APPROVED in both.teams_updates()[-1].text.lower()
    state = await chat.text("Sara Nilsson", "löften 2027")
    assert "Text: godkänd av båda parter 26 november 2026 (U1)" in state
    published = await chat.text(
        "Anna Lindqvist", "löften publicerad https://ostragoinge.se/medborgarloften-2027 år 2027"
    )
    assert "markerade som publicerade 26 november 2026" in published
    state = await chat.text("Sara Nilsson", "löften 2027")
    assert "Text: publicerad 26 november 2026: https://ostragoinge.se/medborgarloften-2027" in state

    # February 2027: the new promises are out; the kommunpolis ticks that point off.
    clock.set(datetime(2027, 2, 16, 9, tzinfo=UTC))
    ticked = await chat.text("Veronica Gustafsson", "årshjul klar nya medborgarlöften")
    assert "(15 februari 2027) är markerad som klar" in ticked

    # May: status requests before the first tertial report, answered with buttons.
    ahmed = await person_id(bot.database, "Ahmed Karimi")
    sara = await person_id(bot.database, "Sara Nilsson")
    await person_id(bot.database, "Anna Lindqvist")
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    clock.set(datetime(2027, 5, 10, 5, 0, tzinfo=UTC))
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 5, 18, tzinfo=UTC))
    [request] = direct(bot, ahmed, "Status inför Första tertialrapporten (31 maj 2027)")
    done = next(b for b in request.buttons if b.label == "Pågår")
    await press(bot, "Ahmed Karimi", done.route, dict(done.payload))
    outcome = next(b for b in request.buttons if b.label == "Ange utfall")
    await press(bot, "Ahmed Karimi", outcome.route, {**outcome.payload, "outcome": "+12"})
    assert direct(bot, sara, "Status inför Första tertialrapporten")  # asked, never answers

    # June: the report is past; Sara's commitment has no update and shows as overdue.
    await run_until(dispatcher, clock, datetime(2027, 6, 2, tzinfo=UTC))
    assert direct(bot, sara, "Ett åtagande saknar statusuppdatering")
    assert direct(bot, ahmed, "Ett åtagande saknar statusuppdatering") == []
    ticked = await chat.text("Anna Lindqvist", "årshjul klar första tertialrapporten")
    assert "(31 maj 2027) är markerad som klar" in ticked

    # Late June: the half-year report to the board was never ticked off.
    clock.set(datetime(2027, 6, 21, 6, 0, tzinfo=UTC))
    digest = await digest_text(bot, clock)
    assert "2027: Kommunen: 1 ej påbörjad; Polisen: 1 pågår; Gemensamt: 1 ej påbörjad" in digest
    assert (
        "L2 Trygghetsvandringar i Broby centrum – Sara Nilsson: ingen statusuppdatering inför "
        "rapporten 31 maj 2027"
    ) in digest
    assert (
        "Försenad: 15 juni 2027: Halvårsrapport till kommunstyrelsen – inte avbockad "
        "(Anna Lindqvist)"
    ) in digest
    assert "Försenad: 31 maj 2027" not in digest
    cycle = await chat.text("Sara Nilsson", "årshjul")
    assert "31 maj 2027: Första tertialrapporten – Brå-samordnare (Anna Lindqvist) – klar" in cycle
    assert "lokal plan: 15 februari 2027 – kommunpolis (Veronica Gustafsson) – klar" in cycle
    assert "15 juni 2027: Halvårsrapport till kommunstyrelsen – Brå-samordnare" in cycle
    assert "– försenad" in cycle.split("Halvårsrapport till kommunstyrelsen")[1].splitlines()[0]
    shown = await chat.text("Sara Nilsson", "löfte L1")
    assert "Utfall: 12 av 40 trafikkontroller" in shown
