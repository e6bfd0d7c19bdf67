"""`utkast U7 publicerad <länk> [kanal]`: where and when an approved message went out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.engine import Bot
from bot.core.reply import Visibility
from bot.drafts.figures import message_figures
from bot.drafts.publications import publications_between
from storage.models import AuditEvent, Draft
from storage.models_publications import Publication
from tests.conftest import NOW
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say, text_of

LINK = "https://www.ostragoinge.se/nyheter/trygghetsvandring-broby"


@pytest.fixture
async def joint(bot: Bot) -> RecordingMessenger:
    console = RecordingMessenger("console")
    bot.messengers["console"] = console
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    return console


async def draft_of(bot: Bot, *, approved: bool = True) -> int:
    await say(bot, "Sara Nilsson", "utkast Välkommen på trygghetsvandring i Broby.")
    async with bot.database.sessions() as session:
        number = await session.scalar(select(Draft.id).order_by(Draft.id.desc()))
    assert number is not None
    if approved:
        for signer in ("Erik Holm", "Karin Öberg"):
            await press(bot, signer, "draft.approve", {"draft": number, "version": 1})
    return number


async def publications(bot: Bot) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Publication.id))) or 0)


async def test_the_author_records_a_publication_shown_on_the_card_and_in_history(
    bot: Bot, joint: RecordingMessenger
) -> None:
    number = await draft_of(bot)
    updates_before = len(joint.updates)
    replies = await say(bot, "Sara Nilsson", f"utkast U{number} publicerad {LINK} webben")
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    assert f"Sparat: U{number} publicerades nu, i webben: {LINK}" in text_of(replies)
    # The card in the joint channel is updated in place and shows where it went.
    assert len(joint.updates) == updates_before + 1
    card = joint.updates[-1][2].plain_text()
    assert "Publicerat" in card and f"webben: {LINK} (sparat av Sara Nilsson)" in card
    shown = text_of(await say(bot, "Erik Holm", f"utkast U{number}"))
    assert f"Sara Nilsson: publicerat – webben: {LINK}" in shown
    async with bot.database.sessions() as session:
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "draft.published")
        )
        assert audit is not None and audit.after["url"] == LINK


async def test_a_second_identical_record_is_not_duplicated(
    bot: Bot, joint: RecordingMessenger
) -> None:
    number = await draft_of(bot)
    await say(bot, "Sara Nilsson", f"utkast U{number} publicerad {LINK} webben")
    again = await say(bot, "Erik Holm", f"draft U{number} published {LINK} webben")
    assert "saved already" in text_of(again)  # typed in English: answered in English
    assert await publications(bot) == 1
    # Another channel for the same link is another publication.
    await say(bot, "Karin Öberg", f"utkast U{number} publicerad {LINK} Facebook")
    assert await publications(bot) == 2


@pytest.mark.parametrize(
    ("who", "message", "expected"),
    [
        ("Johan Berg", "publicerad {link}", "Bara den som skrev"),
        ("Sara Nilsson", "publicerad ftp://example.org/x", "ingen webbadress"),
        ("Sara Nilsson", "publicerad www.ostragoinge.se", "ingen webbadress"),
        ("Sara Nilsson", "publicerad", "Skriv var budskapet publicerades"),
        ("Sara Nilsson", "publicerad {link} " + "x" * 101, "för långt"),
        ("Sara Nilsson", "publicerad {link} 19811218-9876", "personnummer"),
    ],
)
async def test_refusals_leave_nothing(
    bot: Bot, joint: RecordingMessenger, who: str, message: str, expected: str
) -> None:
    number = await draft_of(bot)
    replies = await say(bot, who, f"utkast U{number} " + message.format(link=LINK))
    assert expected in text_of(replies)
    assert await publications(bot) == 0


async def test_only_an_approved_draft_can_be_published(bot: Bot, joint: RecordingMessenger) -> None:
    number = await draft_of(bot, approved=False)
    replies = await say(bot, "Sara Nilsson", f"utkast U{number} publicerad {LINK}")
    assert "inte godkänt av båda parter (Väntar på godkännande)" in text_of(replies)
    assert await publications(bot) == 0


async def test_an_admin_and_english(bot: Bot, joint: RecordingMessenger) -> None:
    number = await draft_of(bot)
    replies = await say(bot, "Anna Lindqvist", f"draft U{number} published {LINK}", locale="en-GB")
    assert f"Saved: U{number} was published now, in –: {LINK}" in text_of(replies)
    assert await publications(bot) == 1


async def test_publications_between_for_the_report(bot: Bot, joint: RecordingMessenger) -> None:
    number = await draft_of(bot)
    await say(bot, "Sara Nilsson", f"utkast U{number} publicerad {LINK} webben")
    async with bot.database.sessions() as session:
        found = await publications_between(session, NOW - timedelta(days=1), NOW + timedelta(1))
        before = await publications_between(session, NOW - timedelta(days=9), NOW)
    assert before == []
    [record] = found
    assert (record.draft_ref, record.kind, record.url, record.channel) == (
        f"U{number}",
        "message",
        LINK,
        "webben",
    )
    assert record.title == "Välkommen på trygghetsvandring i Broby."
    assert (record.published_at, record.recorded_by) == (NOW, "Sara Nilsson")


async def test_message_figures_for_the_report(bot: Bot, joint: RecordingMessenger) -> None:
    published_one = await draft_of(bot)
    await say(bot, "Sara Nilsson", f"utkast U{published_one} publicerad {LINK} webben")
    await say(bot, "Sara Nilsson", f"utkast U{published_one} publicerad {LINK} Facebook")
    withdrawn = await draft_of(bot, approved=False)
    await press(bot, "Sara Nilsson", "draft.withdraw", {"draft": withdrawn, "version": 1})
    await draft_of(bot, approved=False)
    async with bot.database.sessions() as session:
        figures = await message_figures(session, NOW - timedelta(days=1), NOW + timedelta(1))
        earlier = await message_figures(session, NOW - timedelta(days=9), NOW)
    assert earlier == {}
    message = figures["message"]
    # Two publications of one draft count one published message.
    assert (message.drafted, message.approved, message.withdrawn, message.published) == (
        3,
        1,
        1,
        1,
    )
