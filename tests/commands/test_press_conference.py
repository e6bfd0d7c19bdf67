"""`pressträff <ämne> <när> [plats: …]`: a joint invitation approved like any draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.engine import Bot
from bot.drafts.press import press_conferences_between
from bot.drafts.publications import publications_between
from storage.models import AuditEvent, Draft
from tests.conftest import NOW
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say, text_of

ASK = "pressträff Trygghetsvandring i Broby 10 december kl 10 plats: Kommunhuset, Broby"
# 10 December 2026 at 10:00 in Stockholm (winter time) is 09:00 UTC.
AT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
async def joint(bot: Bot) -> RecordingMessenger:
    console = RecordingMessenger("console")
    bot.messengers["console"] = console
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    return console


async def newest(bot: Bot) -> Draft:
    async with bot.database.sessions() as session:
        draft = await session.scalar(select(Draft).order_by(Draft.id.desc()))
    assert draft is not None
    return draft


async def drafts(bot: Bot) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(Draft.id))) or 0)


async def test_the_invitation_is_a_draft_of_its_own_kind_on_the_joint_card(
    bot: Bot, joint: RecordingMessenger
) -> None:
    replies = await say(bot, "Sara Nilsson", ASK)
    draft = await newest(bot)
    assert (draft.kind, draft.event_at, draft.event_place) == (
        "press_conference",
        AT,
        "Kommunhuset, Broby",
    )
    assert draft.state == "pending"
    assert f"sparad som U{draft.id}" in text_of(replies)
    assert "Trygghetsvandring i Broby" in text_of(replies)
    card = joint.posts[-1][2].plain_text()
    assert "Pressträff" in card
    assert "Pressträffens tid" in card and "10 december 2026" in card
    assert "Plats: Kommunhuset, Broby" in card
    assert [b.route for b in joint.posts[-1][2].buttons][:2] == [
        "draft.approve",
        "draft.request_changes",
    ]
    async with bot.database.sessions() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.create"))
    assert audit is not None and audit.after["kind"] == "press_conference"


async def test_approved_by_both_parties_like_any_draft_then_published(
    bot: Bot, joint: RecordingMessenger
) -> None:
    await say(bot, "Sara Nilsson", ASK)
    draft = await newest(bot)
    await press(bot, "Erik Holm", "draft.approve", {"draft": draft.id, "version": 1})
    assert (await newest(bot)).state == "pending"
    await press(bot, "Karin Öberg", "draft.approve", {"draft": draft.id, "version": 1})
    assert (await newest(bot)).state == "approved"
    link = "https://polisen.se/aktuellt/pressinbjudan-broby"
    await say(bot, "Karin Öberg", f"utkast U{draft.id} publicerad {link} polisen.se")
    async with bot.database.sessions() as session:
        held = await press_conferences_between(session, AT - timedelta(days=1), AT + timedelta(1))
        out = await publications_between(session, NOW, NOW + timedelta(days=1))
    [record] = held
    assert (record.draft_ref, record.topic, record.starts_at, record.place, record.state) == (
        f"U{draft.id}",
        "Trygghetsvandring i Broby",
        AT,
        "Kommunhuset, Broby",
        "approved",
    )
    assert [(p.kind, p.url) for p in out] == [("press_conference", link)]


async def test_when_marker_and_english(bot: Bot, joint: RecordingMessenger) -> None:
    replies = await say(
        bot,
        "Karin Öberg",
        "press conference Results of the 2026 safety survey when: 2026-12-15 14:00",
        locale="en-GB",
    )
    assert "The invitation to the press conference" in text_of(replies)
    draft = await newest(bot)
    assert draft.event_at == datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
    assert draft.event_place is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("pressträff Trygghetsvandring", "Skriv ämne och tid"),
        ("pressträff 10 december kl 10", "Skriv ämne och tid"),
        ("pressträff Trygghetsvandring när: 2026-11-20 kl 10", "redan varit"),
        ("pressträff Om 19811218-9876 när: 10 december kl 10", "personnummer"),
        ("pressträff " + "x" * 151 + " när: 10 december kl 10", "Ämnet är för långt"),
    ],
)
async def test_refusals_save_nothing(
    bot: Bot, joint: RecordingMessenger, message: str, expected: str
) -> None:
    replies = await say(bot, "Sara Nilsson", message)
    assert expected in text_of(replies)
    assert await drafts(bot) == 0
