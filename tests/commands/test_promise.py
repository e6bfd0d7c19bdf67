"""`löfte` / `promise`: commitments of the citizen promises, added, shown, updated."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.engine import Bot
from storage.models import AuditEvent
from storage.models_lifecycle import CommitmentEvent
from tests.conftest import Chat
from tests.drafts_helpers import press
from tests.lifecycle_helpers import DECEMBER_3, add_promises, commitment, set_clock


async def test_a_commitment_is_added_with_party_owner_area_and_target(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    said = await chat.text(
        "Veronica Gustafsson",
        "löfte ny Trafikkontroller vid skolorna part polisen område Trafiksäkerhet "
        "ansvarig Ahmed Karimi mål 40 trafikkontroller",
    )
    # In December the year being prepared is the coming one, and the answer says so.
    assert (
        "Åtagandet är sparat i medborgarlöftena 2027: L1 Trafikkontroller vid skolorna – "
        "Polisen, Ahmed Karimi: utfall 0 av 40 trafikkontroller, ej påbörjad"
    ) in said
    item = await commitment(bot, 1)
    assert (item.party, item.target_count, item.target_unit) == ("polis", 40, "trafikkontroller")
    assert item.focus_area is not None and item.focus_area.name == "Trafiksäkerhet"
    assert item.document.year == 2027


async def test_the_year_defaults_to_the_current_one_before_november(chat: Chat, bot: Bot) -> None:
    from datetime import UTC, datetime

    set_clock(bot, datetime(2027, 3, 10, 9, tzinfo=UTC))
    said = await chat.text("Anna Lindqvist", "löfte ny Trygghetsvandring part gemensamt")
    assert "medborgarlöftena 2027" in said
    said = await chat.text("Anna Lindqvist", "löfte ny Nästa års vandring part kommunen år 2028")
    assert "medborgarlöftena 2028" in said


async def test_only_editors_add_and_parties_are_the_agreements(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    refused = await chat.text("Sara Nilsson", "löfte ny Fler vandringar part kommunen")
    assert "Bara kommunpolisen, Brå-samordnaren och administratörer" in refused
    unknown = await chat.text("Anna Lindqvist", "löfte ny Fler vandringar part regionen")
    assert "”regionen” är ingen part i överenskommelsen" in unknown
    no_party = await chat.text("Anna Lindqvist", "löfte ny Fler vandringar")
    assert "Skriv vilken part som lovar" in no_party
    assert "Åtagandet är sparat" not in refused + unknown + no_party


async def test_a_personnummer_is_never_stored(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    said = await chat.text(
        "Anna Lindqvist", "löfte ny Stöd till 19121212-1212 part kommunen ansvarig mig"
    )
    assert "ser ut att innehålla ett personnummer och sparas inte" in said
    await add_promises(chat)
    said = await chat.text("Sara Nilsson", "löfte L2 status pågår gäller 201212121212")
    assert "personnummer" in said
    assert (await commitment(bot, 2)).status == "not_started"


async def test_the_owner_sets_status_and_outcome_and_the_history_shows_it(
    chat: Chat, bot: Bot
) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    said = await chat.text("Sara Nilsson", "löfte L2 status pågår Första vandringen är bokad")
    assert "Sparat: L2 Trygghetsvandringar i Broby centrum" in said and "pågår" in said
    said = await chat.text("Sara Nilsson", "löfte L2 utfall 1")
    assert "utfall 1 av 4 trygghetsvandringar" in said
    said = await chat.text("Sara Nilsson", "löfte L2 utfall +2 två till i december")
    assert "utfall 3 av 4 trygghetsvandringar" in said
    # Not the owner of L1, and neither kommunpolis nor Brå coordinator.
    refused = await chat.text("Sara Nilsson", "löfte L1 status genomförd")
    assert "Bara den ansvariga för L1" in refused
    shown = await chat.text("Sara Nilsson", "löfte L2")
    assert "L2 Trygghetsvandringar i Broby centrum (medborgarlöften 2027)" in shown
    assert "Utfall: 3 av 4 trygghetsvandringar" in shown
    assert "Anna Lindqvist: lade till åtagandet" in shown
    assert "Sara Nilsson: status pågår – ”Första vandringen är bokad”" in shown
    assert "Sara Nilsson: utfall 3 – ”två till i december”" in shown
    async with bot.database.sessions() as session:
        events = await session.scalar(select(func.count()).select_from(CommitmentEvent))
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.like("commitment.%"))
        )
    assert events == 6 and audited == 6  # three made, one status, two outcomes


async def test_the_buttons_set_status_and_open_the_outcome_form(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    session = await chat.session("Ahmed Karimi")
    shown = await session.say("löfte L1")
    labels = [b.label for b in shown[0].buttons]
    assert labels == ["Pågår", "Genomförd", "Försenad", "Utgår", "Ange utfall"]
    done = "\n".join(r.plain_text() for r in await session.press(1))
    assert "Sparat: L1" in done and "pågår" in done
    again = await session.say("löfte L1")  # in progress now: that button is gone
    assert [b.label for b in again[0].buttons] == ["Genomförd", "Försenad", "Utgår", "Ange utfall"]
    form = await session.press(4)
    assert form[0].form is not None and form[0].form.route == "promise.outcome"
    bad = await press(bot, "Ahmed Karimi", "promise.outcome", {"commitment": 1, "outcome": "x"})
    assert bad[0].field_errors == {
        "outcome": "Skriv utfallet som ett tal, till exempel `12`, eller `+4` för att lägga till."
    }
    saved = await press(
        bot, "Ahmed Karimi", "promise.outcome", {"commitment": 1, "outcome": "12", "comment": ""}
    )
    assert "utfall 12 av 40 trafikkontroller, pågår" in saved[0].plain_text()
    refused = await press(
        bot, "Sara Nilsson", "promise.status", {"commitment": 1, "status": "done"}
    )
    assert "Bara den ansvariga för L1" in refused[0].plain_text()


async def test_editors_change_a_commitment(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await add_promises(chat)
    said = await chat.text(
        "Veronica Gustafsson", "löfte L1 ändra ansvarig Linnea Sjöberg mål 30 trafikkontroller"
    )
    assert "Polisen, Linnea Sjöberg: utfall 0 av 30 trafikkontroller" in said
    refused = await chat.text("Ahmed Karimi", "löfte L1 ändra ansvarig Ahmed Karimi")
    assert "Bara kommunpolisen" in refused
    missing = await chat.text("Veronica Gustafsson", "löfte L9")
    assert "Det finns inget åtagande L9" in missing


async def test_promise_in_english(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await chat.ask("Anna Lindqvist", "language english")
    said = await chat.text(
        "Anna Lindqvist", "promise add Safety walks party joint owner Sara Nilsson target 4 walks"
    )
    assert "saved in the citizen promises 2027: L1 Safety walks – Joint, Sara Nilsson" in said
    said = await chat.text("Anna Lindqvist", "promise L1 status in progress")
    assert "outcome 0 of 4 walks, in progress" in said
