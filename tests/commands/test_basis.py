"""`underlag` / `basis`: the situation picture and the safety survey, dated links."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core.engine import Bot
from storage.models_lifecycle import BasisDocument
from tests.conftest import Chat
from tests.lifecycle_helpers import DECEMBER_3, record_basis, set_clock


async def test_basis_documents_are_recorded_and_listed(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await record_basis(chat)
    text = await chat.text("Sara Nilsson", "underlag")
    assert "Underlag för medborgarlöftena 2026" in text
    assert (
        "• Trygghetsmätning 30 oktober 2026: https://polisen.se/trygghetsmatning-2026 – "
        "Otrygghet kvällstid i Broby centrum"
    ) in text
    assert "• Lägesbild 15 november 2026: https://ostragoinge.se/lagesbild-2026" in text
    assert "aldrig uppgifter om enskilda personer" in text
    # In January last autumn's basis is shown too, as the year's promises rest on it.
    set_clock(bot, datetime(2027, 1, 20, 9, tzinfo=UTC))
    assert "Lägesbild 15 november 2026" in await chat.text("Sara Nilsson", "underlag")
    assert "Inget underlag är registrerat" in await chat.text("Sara Nilsson", "underlag 2025")
    # `lägesbild` was an unknown command; it now lists the basis too.
    assert "Lägesbild 15 november 2026" in await chat.text("Sara Nilsson", "lägesbild 2026")
    async with bot.database.sessions() as session:
        rows = (await session.scalars(select(BasisDocument))).all()
    assert {(r.kind, r.year) for r in rows} == {("trygghetsmatning", 2026), ("lagesbild", 2026)}


async def test_basis_refuses_what_it_must(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    not_allowed = await chat.text(
        "Sara Nilsson", "underlag ny lägesbild 2026-11-15 https://ostragoinge.se/lb"
    )
    assert "Bara kommunpolisen, Brå-samordnaren och administratörer" in not_allowed
    no_link = await chat.text("Anna Lindqvist", "underlag ny lägesbild 2026-11-15 lagesbild.pdf")
    assert "”lagesbild.pdf” är ingen länk" in no_link
    person = await chat.text(
        "Anna Lindqvist",
        "underlag ny lägesbild 2026-11-15 https://ostragoinge.se/lb gäller 19121212-1212",
    )
    assert "personnummer" in person
    usage = await chat.text("Anna Lindqvist", "underlag ny protokoll 2026-11-15 https://x.se")
    assert "Skriv `underlag [år]`" in usage
    async with bot.database.sessions() as session:
        assert (await session.scalars(select(BasisDocument))).all() == []


async def test_basis_in_english(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await chat.ask("Veronica Gustafsson", "language english")
    said = await chat.text(
        "Veronica Gustafsson", "basis add survey 2026-10-30 https://polisen.se/tm Unsafe at night"
    )
    assert "Safety survey 30 October 2026 is recorded" in said
