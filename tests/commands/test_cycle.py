"""`årshjul` / `cycle`: the year's points, what the agreement says apart from the local plan,
ticked off by the responsible role, overdue when past their date."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.engine import Bot
from tests.conftest import Chat
from tests.lifecycle_helpers import DECEMBER_3, set_clock


def section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title) + 1
    rest = lines[start:]
    end = next((i for i, line in enumerate(rest) if not line.startswith("•")), len(rest))
    return rest[:end]


async def test_the_agreements_points_are_kept_apart_from_the_local_plan(
    chat: Chat, bot: Bot
) -> None:
    set_clock(bot, DECEMBER_3)
    text = await chat.text("Sara Nilsson", "årshjul")
    assert text.startswith("Årshjulet 2026 – Samverkansöverenskommelse 2023–2026")
    own = section(text, "Ur överenskommelsen")
    local = section(text, "Lokal plan (organisationernas egna datum, inte överenskommelsens)")
    assert (
        "• Polisens trygghetsmätning går ut – enligt överenskommelsen varje höst; "
        "lokal plan: 15 augusti 2026 – kommunpolis (Veronica Gustafsson) – försenad"
    ) in own
    assert "• Överenskommelsen: ”Varje höst genomför polisen en trygghetsmätning.”" in own
    # The yearly follow-up on 1 December has passed and nobody ticked it off.
    assert any(
        line.startswith("• Årlig uppföljning och eventuell revidering")
        and "lokal plan: 1 december 2026" in line
        and line.endswith("– försenad")
        for line in own
    )
    assert any(
        line.startswith("• Beslut om ny eller reviderad överenskommelse")
        and "före 31 december 2026" in line
        and line.endswith("kommande")
        for line in own
    )
    # The local plan's points carry their dates and never the agreement's words.
    assert (
        "• 31 maj 2026: Första tertialrapporten – Brå-samordnare (Anna Lindqvist) – försenad"
        in (local)
    )
    assert all("enligt överenskommelsen" not in line for line in local)


async def test_points_are_ticked_off_by_their_role(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    refused = await chat.text("Sara Nilsson", "årshjul klar årlig uppföljning")
    assert "Bara den ansvariga rollen (Brå-samordnare)" in refused
    said = await chat.text("Anna Lindqvist", "årshjul klar årlig uppföljning Gjord i Brå 2/12")
    assert (
        "Årlig uppföljning och eventuell revidering av överenskommelsen (1 december 2026) är"
        in (said)
    )
    again = await chat.text("Anna Lindqvist", "årshjul klar arlig_uppfoljning")
    # This year's is done; the nearest one not done is next year's.
    assert "(1 december 2027) är markerad som klar" in again
    text = await chat.text("Sara Nilsson", "årshjul")
    assert "– klar 3 december 2026 (Anna Lindqvist)" in text
    unknown = await chat.text("Anna Lindqvist", "årshjul klar julfest")
    assert "Jag hittar ingen punkt ”julfest”" in unknown
    decisions = await chat.text("Anna Lindqvist", "årshjul klar beslut")
    assert "förnyelse beslut kommunstyrelsen" in decisions


async def test_after_the_end_the_cycle_goes_on_with_the_decisions_still_missing(
    chat: Chat, bot: Bot
) -> None:
    set_clock(bot, datetime(2027, 2, 1, 9, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "årshjul")
    assert text.startswith("Årshjulet 2027 – Samverkansöverenskommelse 2023–2026")
    assert "15 januari 2027: Uppföljning av förra årets medborgarlöfte" in text
    assert "lokal plan: 15 februari 2027" in text
    decisions = [line for line in text.splitlines() if line.startswith("• Beslut om ny")]
    assert decisions and decisions[0].endswith("– försenad")


async def test_cycle_in_english(chat: Chat, bot: Bot) -> None:
    set_clock(bot, DECEMBER_3)
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "cycle 2026")
    assert "From the agreement" in text and "Local plan" in text
    assert "under the agreement every autumn; local plan: 15 August 2026" in text
