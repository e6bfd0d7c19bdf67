"""`klar A3` / `done A3` and `åtgärder` / `actions`: closing and listing action items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.core.engine import Bot
from storage.models import ActionItem, AuditEvent, Job
from tests.conftest import Chat
from tests.scheduler.helpers import add_action_item


async def test_the_owner_closes_an_item_and_its_reminder_is_cancelled(chat: Chat, bot: Bot) -> None:
    await add_action_item(bot, "Boka lokal", "Sara Nilsson", date(2026, 12, 3))
    text = await chat.text("Sara Nilsson", "klar a1")
    assert "A1 Boka lokal är klar" in text
    async with bot.database.sessions() as session:
        item = await session.get(ActionItem, 1)
        assert item is not None and item.status == "done"
        statuses = {
            j.dedupe_key.split(":")[0]: j.status for j in await session.scalars(select(Job))
        }
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "action.close"))
    assert statuses["action_due"] == "cancelled"
    assert audit is not None and audit.entity_id == "A1"
    assert "already done" in await chat.text("Sara Nilsson", "done A1")  # typed in English


async def test_only_owner_assigner_or_admin_may_close(chat: Chat, bot: Bot) -> None:
    await add_action_item(
        bot, "Ring skolan", "Sara Nilsson", date(2026, 12, 3), assigned_by="Patric Åberg"
    )
    refused = await chat.text("Johan Berg", "klar A1")
    assert "Bara den ansvariga (Sara Nilsson)" in refused
    assert "är klar" in await chat.text("Patric Åberg", "klar A1")  # who assigned it
    await add_action_item(bot, "Skicka protokoll", "Sara Nilsson", date(2026, 12, 3))
    assert "är klar" in await chat.text("Anna Lindqvist", "klar A2")  # an admin


async def test_bad_and_unknown_ids(chat: Chat) -> None:
    assert "inget åtgärdsnummer" in await chat.text("Sara Nilsson", "klar M3")
    assert "ingen åtgärd A9" in await chat.text("Sara Nilsson", "klar A9")


async def test_actions_lists_mine_and_my_forums(chat: Chat, bot: Bot) -> None:
    await add_action_item(bot, "Min egen", "Ahmed Karimi", date(2026, 11, 20))
    await add_action_item(bot, "Brås punkt", "Erik Holm", date(2026, 12, 10), forum="bra")
    await add_action_item(bot, "Annans", "Maria Ek", date(2026, 12, 10))
    text = await chat.text("Ahmed Karimi", "åtgärder")
    assert "A1 Min egen – Ahmed Karimi, senast 20 november 2026 (försenad)" in text
    assert "A2 Brås punkt – Erik Holm" in text
    assert "Annans" not in text
    assert "A3 Annans – Maria Ek" in await chat.text("Maria Ek", "actions")
    assert "Inga öppna åtgärder." in await chat.text("Karin Öberg", "åtgärder")


async def test_an_item_of_a_need_to_know_forum_is_not_found_by_outsiders(
    chat: Chat, bot: Bot
) -> None:
    await add_action_item(bot, "Hemlig punkt", "Peter Wallin", date(2026, 12, 3), forum="avhopp")
    assert "ingen åtgärd A1" in await chat.text("Sara Nilsson", "klar A1")
    assert "Bara den ansvariga" in await chat.text("Maria Ek", "klar A1")  # a member of it
    assert "är klar" in await chat.text("Peter Wallin", "klar A1")
