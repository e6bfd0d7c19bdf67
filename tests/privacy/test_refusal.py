"""In a forum with no free text about individuals a personnummer-like text is refused outright.

No "Skicka ändå", nothing stored, and one audit row that says a text was refused (who, when,
which forum, which field) without the text. Elsewhere the hold and its audited override stay.
Every entry path goes through the core's `personal_text`: drafts and their edits, change-request
comments, action items, personal reminders, meeting places and person titles; an altered
"Skicka ändå" press for a closed forum is refused as well.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.core.engine import Bot
from bot.core.personal_text import REFUSED_ACTION
from bot.core.reply import Reply
from storage.models import (
    ActionItem,
    AuditEvent,
    ChannelBinding,
    Draft,
    DraftVersion,
    Forum,
    Job,
    Meeting,
    Person,
    PostedMessage,
)
from tests.conftest import Chat
from tests.drafts_helpers import add_channel, press, say, text_of

NUMBER = "20100315-2384"
DIGITS = "2384"


async def _bind(chat: Chat, channel: str = "spindel", forum: str = "spindel") -> None:
    replies = await chat.ask("Anna Lindqvist", f"kanal forum {forum}", channel=channel)
    assert replies


async def _everything_stored(bot: Bot) -> str:
    """Every row of the tables free text could reach, as one string."""
    async with bot.database.sessions() as session:
        rows: list[object] = []
        for model in (ActionItem, Job, DraftVersion, Meeting, Person, AuditEvent):
            rows.extend((await session.scalars(select(model))).unique().all())
    return json.dumps(
        [{k: v for k, v in vars(r).items() if not k.startswith("_")} for r in rows],
        default=str,
        ensure_ascii=False,
    )


async def _refusals(bot: Bot) -> list[AuditEvent]:
    async with bot.database.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == REFUSED_ACTION)
        return list((await session.scalars(query.order_by(AuditEvent.id))).all())


def _no_send_anyway(replies: list[Reply]) -> None:
    assert all(not reply.buttons for reply in replies)


async def test_an_action_item_in_a_spindel_forum_is_refused_and_only_the_refusal_audited(
    chat: Chat, bot: Bot
) -> None:
    replies = await chat.ask(
        "Sara Nilsson",
        f"åtgärd Följ upp skolfrånvaro för {NUMBER} ansvarig mig senast 3/12 forum spindel",
    )
    assert "ser ut som ett personnummer" in text_of(replies) and "Inget har sparats" in text_of(
        replies
    )
    _no_send_anyway(replies)
    stored = await _everything_stored(bot)
    assert DIGITS not in stored
    [refusal] = await _refusals(bot)
    assert (refusal.actor, refusal.entity_type, refusal.entity_id) == (
        "Sara Nilsson",
        "forum",
        "spindel",
    )
    assert refusal.after == {"field": "text"} and refusal.before is None


async def test_a_group_of_a_closed_forum_refuses_through_its_channel_and_english_too(
    chat: Chat, bot: Bot
) -> None:
    await _bind(chat, "broby", "broby")
    session = await chat.session("Sara Nilsson", "broby")
    session.locale = "en"
    replies = await session.say(f"remind me tomorrow 9:00 call about {NUMBER}")
    assert "personal identity number" in text_of(replies)
    _no_send_anyway(replies)
    async with bot.database.sessions() as db:
        assert (
            await db.scalar(select(func.count()).select_from(Job).where(Job.kind == "reminder"))
            == 0
        )
    [refusal] = await _refusals(bot)
    assert refusal.entity_id == "spindel.broby"


async def test_elsewhere_an_action_item_and_a_reminder_are_held_and_the_override_audited(
    chat: Chat, bot: Bot
) -> None:
    held = await chat.ask("Sara Nilsson", f"åtgärd Ring {NUMBER} ansvarig mig senast 3/12")
    assert "personnummer" in held[0].text and held[0].buttons
    session = await chat.session("Sara Nilsson")
    confirmed = await session.press(1)
    assert f"Ring {NUMBER}" in confirmed[0].text
    reminder = await chat.ask("Sara Nilsson", f"påminn mig i morgon kl 9 ring om {NUMBER}")
    assert "personnummer" in reminder[0].text and reminder[0].buttons
    assert "Jag påminner dig" in (await session.press(1))[0].text
    async with bot.database.sessions() as db:
        audits = (await db.scalars(select(AuditEvent).order_by(AuditEvent.id))).all()
    confirmed_rows = [a.action for a in audits if a.after and a.after.get("confirmed_personnummer")]
    assert confirmed_rows == ["action.create", "reminder.create"]
    assert await _refusals(bot) == []


async def test_an_altered_send_anyway_for_a_closed_forum_is_refused(chat: Chat, bot: Bot) -> None:
    async with bot.database.sessions() as db:
        spindel = await db.scalar(select(Forum.id).where(Forum.key == "spindel"))
        sara = await db.scalar(select(Person.id).where(Person.name == "Sara Nilsson"))
    payload = {"text": f"Ring {NUMBER}", "owner": sara, "forum": spindel, "meeting": None}
    replies = await press(
        bot, "Sara Nilsson", "action.send_anyway", {**payload, "due": "2026-12-03"}
    )
    assert "Inget har sparats" in text_of(replies)
    await _bind(chat)
    reminder = await press(
        bot,
        "Sara Nilsson",
        "reminder.send_anyway",
        {"at": "2026-11-27T09:00:00+01:00", "text": f"ring {NUMBER}"},
        channel="spindel",
    )
    assert "Inget har sparats" in text_of(reminder)
    assert DIGITS not in await _everything_stored(bot)
    assert [r.after for r in await _refusals(bot)] == [{"field": "text"}, {"field": "text"}]


async def test_drafts_their_edits_and_change_requests_are_refused_in_a_closed_forum(
    chat: Chat, bot: Bot
) -> None:
    await _bind(chat)
    refused = await say(
        bot, "Erik Holm", f"utkast Den misstänkte, {NUMBER}, är häktad.", channel="spindel"
    )
    assert "Inget har sparats" in text_of(refused)
    _no_send_anyway(refused)
    async with bot.database.sessions() as db:
        assert await db.scalar(select(func.count()).select_from(Draft)) == 0
    # A draft posted in the closed forum's channel: an edit or a comment with a number is refused.
    created = await say(
        bot, "Erik Holm", "utkast Trygghetsvandring i Broby på torsdag.", channel="spindel"
    )
    assert "U1" in text_of(created)
    async with bot.database.sessions() as db:
        posted = await db.scalar(select(func.count()).select_from(PostedMessage))
    assert posted == 1
    edited = await press(
        bot,
        "Erik Holm",
        "draft.edit",
        {"draft": 1, "version": 1, "text": f"Om {NUMBER}"},
        channel="gemensam",
    )
    assert "Inget har sparats" in text_of(edited)
    comment = await press(
        bot,
        "Veronica Gustafsson",
        "draft.request_changes",
        {"draft": 1, "version": 1, "comment": f"Gäller {NUMBER}?"},
        channel="gemensam",
    )
    assert "Inget har sparats" in text_of(comment)
    assert DIGITS not in await _everything_stored(bot)
    fields = [r.after["field"] for r in await _refusals(bot) if r.after]
    assert fields == ["text", "text", "comment"]


async def test_a_held_draft_elsewhere_pressed_in_a_closed_forum_channel_is_refused(
    chat: Chat, bot: Bot
) -> None:
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    held = await say(bot, "Erik Holm", f"utkast Om {NUMBER}.")
    assert "personnummer" in text_of(held)
    await _bind(chat)
    refused = await press(
        bot, "Erik Holm", "draft.send_anyway", {"draft": 1, "version": 1}, channel="spindel"
    )
    assert "Inget har sparats" in text_of(refused)
    async with bot.database.sessions() as db:
        draft = await db.get(Draft, 1)
    assert draft is not None and draft.state == "held"
    # From where it was written, the author's confirmation still works (and is recorded).
    sent = await press(
        bot, "Erik Holm", "draft.send_anyway", {"draft": 1, "version": 1}, channel="terminal"
    )
    assert "U1" in text_of(sent)


async def test_a_meeting_place_and_a_person_title_are_refused(chat: Chat, bot: Bot) -> None:
    place = await chat.text("Anna Lindqvist", f"möte spindel 3/12 kl 10 plats: hos {NUMBER}")
    assert "personnummer" in place
    [refusal] = await _refusals(bot)
    assert refusal.entity_id == "spindel" and refusal.after == {"field": "place"}
    title = await chat.text("Anna Lindqvist", f"person ändra Sara Nilsson titel: {NUMBER}")
    assert "Titeln ser ut att innehålla ett personnummer" in title
    assert DIGITS not in await _everything_stored(bot)


async def test_a_channel_bound_to_an_open_forum_keeps_the_hold(chat: Chat, bot: Bot) -> None:
    await _bind(chat, "bra", "brå")
    async with bot.database.sessions() as db:
        bindings = await db.scalar(select(func.count()).select_from(ChannelBinding))
    assert bindings == 1
    held = await chat.ask(
        "Sara Nilsson", f"påminn mig i morgon kl 9 ring om {NUMBER}", channel="bra"
    )
    assert held[0].buttons and await _refusals(bot) == []


async def test_the_contacts_import_refuses_a_personnummer_in_a_title_or_name(
    bot: Bot,
) -> None:
    from bot.directory.contacts_csv import InvalidContactsFile, RowError
    from tests.directory.test_contacts_import import HEADER, csv_bytes, run_import

    async with bot.database.sessions() as db:
        people = await db.scalar(select(func.count()).select_from(Person))
    try:
        await run_import(
            bot.database,
            csv_bytes(HEADER, f"Åsa Öberg,Elev {NUMBER},kommunen,asa.oberg@example.org,,brå,"),
        )
    except InvalidContactsFile as caught:
        assert caught.errors == [RowError(2, "titel", "personnummer", {})]
    else:
        raise AssertionError("the import took a personnummer")
    assert DIGITS not in await _everything_stored(bot)
    async with bot.database.sessions() as db:
        assert await db.scalar(select(func.count()).select_from(Person)) == people
