"""`åtgärd … ansvarig … senast …` / `action … owner … due …`: recording action items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core.engine import Bot
from storage.models import ActionItem, AuditEvent, Job
from tests.conftest import Chat


async def items(bot: Bot) -> list[ActionItem]:
    async with bot.database.sessions() as session:
        return list((await session.scalars(select(ActionItem).order_by(ActionItem.id))).all())


async def test_anyone_registered_may_create_one_for_themselves(chat: Chat, bot: Bot) -> None:
    text = await chat.text("Sara Nilsson", "åtgärd Boka lokal ansvarig mig senast 3/12")
    assert "A1 Boka lokal – ansvarig Sara Nilsson, senast torsdag 3 december 2026." in text
    [item] = await items(bot)
    assert (item.due, item.owner.name, item.forum_id) == (date(2026, 12, 3), "Sara Nilsson", None)
    english = await chat.text("Sara Nilsson", "action Call the school due friday")
    assert "A2 Call the school" in english and "27 November 2026" in english  # typed in English
    async with bot.database.sessions() as session:
        keys = set((await session.scalars(select(Job.dedupe_key))).all())
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "action.create"))
    assert {"action_due:1", "action_overdue:1:2026-12-04"} <= keys
    assert audit is not None and audit.entity_id == "A1"


async def test_assigning_to_someone_else_takes_chair_secretary_or_admin(
    chat: Chat, bot: Bot
) -> None:
    refused = await chat.text(
        "Sara Nilsson", "åtgärd Skicka protokoll ansvarig Johan Berg senast 3/12 forum brå"
    )
    assert "Bara forumets ordförande eller sekreterare" in refused
    assert await items(bot) == []
    chair = await chat.text(
        "Birgitta Holmén", "åtgärd Skicka protokoll ansvarig Niklas Årcén senast 3/12 forum brå"
    )
    assert "A1 Skicka protokoll – ansvarig Niklas Årcén" in chair
    # Patric chairs Brå, not the spider groups.
    other = await chat.text(
        "Birgitta Holmén", "åtgärd Ring skolan ansvarig Sara Nilsson senast 3/12 forum spindel"
    )
    assert "Bara forumets" in other
    admin = await chat.text(
        "Anna Lindqvist", "åtgärd Ring skolan ansvarig Sara Nilsson senast 3/12"
    )
    assert "A2 Ring skolan" in admin
    async with bot.database.sessions() as session:
        notices = (await session.scalars(select(Job).where(Job.kind == "notice"))).all()
    assert sorted(n.dedupe_key for n in notices) == ["action_assigned:1", "action_assigned:2"]


async def test_the_forum_comes_from_the_channel_and_personnummer_is_refused_there(
    chat: Chat, bot: Bot
) -> None:
    await chat.ask("Anna Lindqvist", "kanal forum spindel", channel="spindel")
    ok = await chat.ask(
        "Sara Nilsson", "åtgärd Boka rum ansvarig mig senast 3/12", channel="spindel"
    )
    assert ok[0].context and "Skriv inga uppgifter om enskilda personer" in ok[0].context
    [item] = await items(bot)
    assert item.forum is not None and item.forum.key == "spindel"
    refused = await chat.ask(
        "Sara Nilsson", "åtgärd Ring 19121212-1212 ansvarig mig senast 3/12", channel="spindel"
    )
    # A forum with no free text about individuals: no "Skicka ändå", nothing stored.
    assert "personnummer" in refused[0].text and not refused[0].buttons
    assert len(await items(bot)) == 1
    # Elsewhere it is held, and the author's confirmation is audited.
    held = await chat.ask("Sara Nilsson", "åtgärd Ring 19121212-1212 ansvarig mig senast 3/12")
    assert "personnummer" in held[0].text and len(await items(bot)) == 1
    session = await chat.session("Sara Nilsson")
    confirmed = await session.press(1)
    assert "A2 Ring 19121212-1212" in confirmed[0].text
    async with bot.database.sessions() as db:
        audits = (
            await db.scalars(select(AuditEvent).where(AuditEvent.action == "action.create"))
        ).all()
    assert [a.after["confirmed_personnummer"] for a in audits if a.after] == [False, True]


async def test_bad_input_is_refused_clearly(chat: Chat, bot: Bot) -> None:
    assert "senast <datum>" in await chat.text("Sara Nilsson", "åtgärd Boka lokal")
    assert "kan inte läsa" in await chat.text("Sara Nilsson", "åtgärd Boka senast blabla")
    assert "har redan varit" in await chat.text("Sara Nilsson", "åtgärd Boka senast 1/11 2026")
    assert "hittar inget forum" in await chat.text(
        "Sara Nilsson", "åtgärd Boka senast 3/12 forum xyz"
    )
    assert "hittar inget möte" in await chat.text(
        "Sara Nilsson", "åtgärd Boka senast 3/12 möte M99"
    )
    assert await items(bot) == []
