from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.clock import FixedClock
from bot.common.config import BUNDLED_AGREEMENT
from tests.agreement_files import write_agreement
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
    path = write_agreement(tmp_path / "with-successor.toml", text)
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
    assert "Har löpt ut" in text
    assert "Nästa årliga uppföljning" not in text


async def test_agreement_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "language english")
    text = await chat.text("Sara Nilsson", "agreement")
    assert "Valid: 1 January 2023 – 31 December 2026" in text
    assert "Days left: 35 days" in text
    assert date(2026, 12, 31) > NOW.date()


async def test_a_part_of_the_agreement_is_quoted_word_for_word(chat: Chat) -> None:
    from tests.test_agreement_text import agreement_text

    text = agreement_text()
    replies = await chat.ask("Sara Nilsson", "överenskommelse forum")
    [reply] = replies
    assert reply.heading == "Samverkansöverenskommelse 2023–2026: forum"
    assert [s.title for s in reply.sections] == ["Tillvägagångssätt"]
    quoted = reply.sections[0].items
    assert quoted[0].startswith("Genom kartläggning och diskussioner")
    assert quoted[1].startswith("- **Lokala Brottsförebyggande rådet (Brå)**")
    assert all(paragraph in text for paragraph in quoted)
    assert "Ordagrant ur överenskommelsens text" in (reply.context or "")
    follow_up = await chat.ask("Sara Nilsson", "överenskommelse uppföljning")
    assert [s.title for s in follow_up[0].sections] == [
        "Samverkansöverenskommelsens gällande",
        "Samverkansorganisation för arbetet med överenskommelsen",
    ]
    assert (
        "Dock ska årlig uppföljning med möjlighet till revidering göras."
        in (follow_up[0].sections[0].items[0])
    )
    english = await chat.ask("Sara Nilsson", "agreement communication")
    assert english[0].sections[0].items[0].startswith("Utöver dessa forum bör kommun och polis")
    unknown = await chat.text("Sara Nilsson", "överenskommelse kaffe")
    assert "”kaffe” är ingen del jag kan citera" in unknown


async def test_run_out_with_nothing_recorded_says_so_plainly(chat: Chat) -> None:
    assert isinstance(chat.bot.clock, FixedClock)
    chat.bot.clock.set(datetime(2027, 1, 10, 12, tzinfo=UTC))
    text = await chat.text("Sara Nilsson", "överenskommelse")
    assert "Gällde: 1 januari 2023 – 31 december 2026" in text
    assert "Status: Har löpt ut" in text
    assert "Gäller:" not in text and "Dagar kvar" not in text
    assert (
        "Samverkansöverenskommelse 2023–2026 gällde till och med 31 december 2026 och har löpt "
        "ut. Ingen ny överenskommelse och ingen förlängning är registrerad, så ingen "
        "överenskommelse gäller nu. Det som saknas: Brå:s förslag, beslut i kommunstyrelsen, "
        "beslut av lokalpolischefen, undertecknande, den nya överenskommelsen registrerad i boten."
    ) in text
