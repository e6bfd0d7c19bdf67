"""`förnyelse` / `renewal` and `förläng` / `extend`: the path to the next agreement."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.core.engine import Bot
from storage.models import Agreement, AuditEvent
from tests.conftest import Chat
from tests.lifecycle_helpers import DECEMBER_3, set_clock

BOARD = "förnyelse beslut kommunstyrelsen 2026-12-10 § 123 dnr KS 2026/456"
POLICE = "förnyelse beslut polisen 2026-12-14 dnr A123.456/2026"


async def test_the_steps_start_missing_with_their_owners(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    text = await chat.text("Sara Nilsson", "förnyelse")
    assert "Förnyelse av Samverkansöverenskommelse 2023–2026" in text
    assert "Gäller till och med: 31 december 2026" in text
    assert (
        "• 2. Beslut i kommunstyrelsen – Brå-samordnare (Anna Lindqvist) – saknas – "
        "`förnyelse beslut kommunstyrelsen <datum> § <nr> dnr <dnr>`"
    ) in text
    assert "• 3. Beslut av lokalpolischefen – kommunpolis (Veronica Gustafsson) – saknas" in text
    # The agreement's own words on who decides, quoted as they stand.
    assert (
        "Enligt överenskommelsen\n• Kommunstyrelsen i Östra Göinge kommun och lokalpolischef "
        "för lokalpolisområde Hässleholm beslutar avseende överenskommelsen."
    ) in text


async def test_decisions_are_recorded_then_the_successor(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    refused = await chat.text("Sara Nilsson", BOARD)
    assert "Bara Brå-samordnaren, kommunpolisen och administratörer" in refused
    early = await chat.text("Anna Lindqvist", "förnyelse ny 2027-01-01 2030-12-31")
    assert "Båda besluten behövs först" in early
    text = await chat.text("Anna Lindqvist", BOARD)
    assert "klart: beslut 10 december 2026, § 123, dnr KS 2026/456" in text
    bad = await chat.text("Veronica Gustafsson", "förnyelse beslut polisen 2026-12-14")
    assert "Skriv `förnyelse beslut polisen <datum> dnr <diarienummer>`" in bad
    text = await chat.text("Veronica Gustafsson", POLICE)
    assert "klart: beslut 14 december 2026, dnr A123.456/2026" in text
    text = await chat.text("Anna Lindqvist", "förnyelse förslag https://ostragoinge.se/forslag")
    assert "• 1. Brå:s förslag, godkänt av båda parter – Brå-samordnare (Anna Lindqvist) – " in text
    assert "klart: https://ostragoinge.se/forslag" in text
    await chat.text("Anna Lindqvist", "förnyelse undertecknad 2026-12-18")
    said = await chat.text("Veronica Gustafsson", "förnyelse ny 2027-01-01 2030-12-31")
    assert (
        "Samverkansöverenskommelse 2027–2030 är registrerad och gäller fredag 1 januari 2027"
        in said
    )
    text = await chat.text("Sara Nilsson", "förnyelse")
    assert "klart: Samverkansöverenskommelse 2027–2030, gäller från 1 januari 2027" in text
    assert "saknas" not in text
    again = await chat.text("Veronica Gustafsson", "förnyelse ny 2027-01-01 2030-12-31")
    assert "redan registrerad" in again
    async with bot.database.sessions() as session:
        new = await session.scalar(
            select(Agreement)
            .options(selectinload(Agreement.cycle_events))
            .where(Agreement.key == "2027-2030")
        )
        actions = list(
            (
                await session.scalars(
                    select(AuditEvent.action).where(
                        AuditEvent.action.in_(["renewal.update", "agreement.register"])
                    )
                )
            ).all()
        )
    assert new is not None and new.source == "chat" and new.parties == ["kommun", "polis"]
    assert len(new.cycle_events) == 8  # the local plan carries over
    assert actions.count("agreement.register") == 1 and actions.count("renewal.update") == 4


async def test_an_extension_moves_the_end(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    refused = await chat.text("Sara Nilsson", "förläng till 2027-06-30")
    assert "Bara Brå-samordnaren" in refused
    earlier = await chat.text("Anna Lindqvist", "förläng till 2026-12-01")
    assert "Förlängningen måste gå längre än 31 december 2026" in earlier
    said = await chat.text(
        "Anna Lindqvist", "förläng till 2027-06-30 beslut KS 2026-12-10 § 130, polisen A1/2026"
    )
    assert "gäller nu till och med onsdag 30 juni 2027 (i stället för 31 december 2026)" in said
    set_clock(bot, datetime(2027, 1, 10, 9, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert "Gäller: 1 januari 2023 – 30 juni 2027 (förlängd från 31 december 2026)" in text
    assert "Dagar kvar: 171 dagar" in text
    assert "har löpt ut" not in text
    renewal = await chat.text("Sara Nilsson", "förnyelse")
    assert "Förlängd: från 31 december 2026 (KS 2026-12-10 § 130, polisen A1/2026)" in renewal


async def test_renewal_in_english(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await chat.ask("Anna Lindqvist", "language english")
    text = await chat.text("Anna Lindqvist", "renewal decision board 2026-12-10 § 123 ref KS 1/26")
    assert "done: decided 10 December 2026, § 123, ref KS 1/26" in text
    said = await chat.text("Anna Lindqvist", "extend to 2027-03-31")
    assert "now valid until Wednesday 31 March 2027" in said
