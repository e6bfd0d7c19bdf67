"""Shared steps for the agreement's own cycle: the day the tests stand on, basis and promises
recorded through the terminal adapter as the Brå coordinator and the kommunpolis would."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.common.clock import FixedClock
from bot.core.engine import Bot
from storage.models_lifecycle import Commitment
from tests.conftest import Chat

# Thursday 3 December 2026, 10.00 in Stockholm: the agreement ends on the 31st.
DECEMBER_3 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def set_clock(bot: Bot, moment: datetime) -> None:
    assert isinstance(bot.clock, FixedClock)
    bot.clock.set(moment)


async def record_basis(chat: Chat) -> None:
    said = await chat.text(
        "Veronica Gustafsson",
        "underlag ny trygghetsmätning 2026-10-30 https://polisen.se/trygghetsmatning-2026 "
        "Otrygghet kvällstid i Broby centrum",
    )
    assert "Trygghetsmätning 30 oktober 2026 är registrerad" in said
    said = await chat.text(
        "Anna Lindqvist",
        "underlag ny lägesbild 2026-11-15 https://ostragoinge.se/lagesbild-2026 "
        "Fler anmälda skadegörelser kring skolorna",
    )
    assert "Lägesbild 15 november 2026 är registrerad" in said


async def add_promises(chat: Chat) -> None:
    """Three commitments for 2027 (the year being prepared in November and December)."""
    for who, text in (
        (
            "Veronica Gustafsson",
            "löfte ny Trafikkontroller vid skolorna part polisen område Trafiksäkerhet "
            "ansvarig Ahmed Karimi mål 40 trafikkontroller",
        ),
        (
            "Anna Lindqvist",
            "löfte ny Trygghetsvandringar i Broby centrum part gemensamt "
            "område Trygghet i Broby centrum ansvarig Sara Nilsson mål 4 trygghetsvandringar",
        ),
        (
            "Anna Lindqvist",
            "löfte ny Bättre belysning i Folkets park part kommunen ansvarig mig senast 2027-03-01",
        ),
    ):
        said = await chat.text(who, text)
        assert "Åtagandet är sparat i medborgarlöftena 2027" in said, said


async def commitment(bot: Bot, number: int) -> Commitment:
    async with bot.database.sessions() as session:
        found = await session.scalar(select(Commitment).where(Commitment.id == number))
        assert found is not None
        return found
