"""`uppföljning` / `follow-up` in the chat: headline figures, sentences, the chart and the file;
Brå's conclusion recorded by the Brå coordinator and shown in the report."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from bot.core.engine import Bot
from storage.models import AuditEvent
from storage.models_report import FollowupConclusion
from tests.conftest import Chat
from tests.meeting_support import count_rows
from tests.report.support import build


async def test_the_chat_answer_has_figures_a_chart_and_the_file(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    [reply] = await chat.ask("Sara Nilsson", "uppföljning 2026")
    text = reply.plain_text()
    assert reply.heading == "Uppföljning av samverkansöverenskommelsen 2026"
    assert "Kommunen var representerad vid 4 av 5 möten i Brå (80 %)." in text
    assert "Polisen var representerad vid 2 av 5 möten i Brå (40 %)." in text
    assert "Närvaro saknas för 1 möte i Brå." in text
    assert "2 forum med begränsad insyn ingår inte" in text  # Sara is in a Spindel group
    assert "Brå har inte registrerat någon slutsats för 2026." in text
    chart, document = reply.attachments
    assert chart.inline and chart.mime == "image/png"
    assert Image.open(io.BytesIO(chart.data)).format == "PNG"
    assert chart.alt is not None and "Brå, Polisen 2 av 5 (40 %)" in chart.alt
    assert not document.inline and document.filename == "uppfoljning-2026.pdf"
    assert document.data.startswith(b"%PDF-")


async def test_admins_see_need_to_know_forums(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    text = await chat.text("Anna Lindqvist", "uppföljning 2026")
    assert "behovsprövad insyn" not in text
    assert "Kommunen var representerad vid 1 av 1 möten i Avhopparverksamhet (100 %)." in text


async def test_in_english(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    await chat.text("Sara Nilsson", "language english")
    [reply] = await chat.ask("Sara Nilsson", "follow-up 2026-H1")
    assert reply.heading == "Follow-up of the cooperation agreement 2026-H1"
    assert "Polisen was represented at 1 of 3 meetings of Brå (33 %)." in reply.plain_text()


async def test_a_bad_period_is_refused_plainly(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "uppföljning 2026-T9")
    assert "Jag kan inte läsa perioden" in text


async def test_bras_conclusion_is_recorded_audited_and_reported(chat: Chat, bot: Bot) -> None:
    said = await chat.text(
        "Anna Lindqvist",
        "uppföljning 2026 slutsats revidering ja Forumen behöver ett tydligare uppdrag.",
    )
    assert "Brå:s slutsats för 2026 är registrerad: revidera överenskommelsen." in said
    async with bot.database.sessions() as session:
        row = await session.scalar(select(FollowupConclusion))
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "followup.conclusion")
        )
    assert row is not None and row.revise and row.year == 2026
    assert audit is not None
    text = await chat.text("Sara Nilsson", "uppföljning 2026")
    assert re.search(
        r"Brå:s slutsats 2026: överenskommelsen bör revideras\. "
        r"Forumen behöver ett tydligare uppdrag\. \(Anna Lindqvist, \d+ \w+ 2026\)",
        text,
    )
    # A later conclusion replaces it in the report; the earlier row stays.
    await chat.text("Anna Lindqvist", "uppföljning 2026 slutsats revidering nej Det räcker.")
    text = await chat.text("Sara Nilsson", "uppföljning 2026")
    assert "behöver inte revideras. Det räcker." in text
    assert "bör revideras" not in text
    assert await count_rows(bot.database, FollowupConclusion) == 2


async def test_only_the_bra_coordinator_and_admins_conclude(chat: Chat, bot: Bot) -> None:
    said = await chat.text("Sara Nilsson", "uppföljning 2026 slutsats revidering ja Skäl.")
    assert "Bara Brå-samordnaren och administratörer" in said
    said = await chat.text("Anna Lindqvist", "uppföljning 2026 slutsats kanske")
    assert "uppföljning 2026 slutsats revidering ja" in said
    said = await chat.text(
        "Anna Lindqvist", "uppföljning 2026 slutsats revidering ja Gäller 19811218-9876."
    )
    assert "personnummer" in said
    assert await count_rows(bot.database, FollowupConclusion) == 0
