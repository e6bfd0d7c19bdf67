from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.clock import FixedClock
from bot.common.config import BUNDLED_AGREEMENT
from tests.conftest import NOW, Chat


async def test_agreement_shows_parties_validity_and_days_left(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert "Samverkansöverenskommelse 2023–2026" in text
    assert "Parter: Östra Göinge kommun och Lokalpolisområde Hässleholm" in text
    assert "Gäller: 1 januari 2023 – 31 december 2026" in text
    assert "Dagar kvar: 35 dagar" in text  # from 2026-11-26
    assert "Nästa årliga uppföljning: 1 december 2026" in text
    assert "ingen ny är registrerad" in text


async def test_a_successor_is_shown(chat: Chat, tmp_path: Path) -> None:
    text = BUNDLED_AGREEMENT.read_text(encoding="utf-8").replace(
        "[[agreements.cycle]]",
        '[[agreements]]\nkey = "2027-2030"\ntitle = "Samverkansöverenskommelse 2027–2030"\n'
        'parties = ["kommun", "polis"]\nvalid_from = 2027-01-01\nvalid_to = 2030-12-31\n'
        "follow_up_month = 12\n\n[[agreements.cycle]]",
        1,
    )
    # The cycle entries after the insert now belong to the successor; the current keeps none.
    path = tmp_path / "with-successor.toml"
    path.write_text(text, encoding="utf-8")
    async with chat.bot.database.transaction() as session:
        await seed(session, load_agreement_file(path), now=NOW)
    answer = await chat.text("Sara Nilsson", "överenskommelse")
    assert (
        "Därefter: Samverkansöverenskommelse 2027–2030 (1 januari 2027 – 31 december 2030)"
        in answer
    )
    assert "ingen ny är registrerad" not in answer


async def test_after_the_end_the_agreement_is_reported_expired(chat: Chat) -> None:
    assert isinstance(chat.bot.clock, FixedClock)
    chat.bot.clock.set(datetime(2027, 1, 10, 12, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert "Gick ut för 10 dagar sedan" in text
    assert "Nästa årliga uppföljning" not in text


async def test_agreement_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "agreement")
    assert "Valid: 1 January 2023 – 31 December 2026" in text
    assert "Days left: 35 days" in text
    assert date(2026, 12, 31) > NOW.date()
