"""Phone numbers are stored in one form (E.164) and shown as Swedes write them."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.common.phone import normalise_phone, show_phone
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Person
from tests.conftest import Chat


@pytest.mark.parametrize(
    "typed", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "0046701234567", "070 123 45 67"]
)
def test_every_way_of_writing_one_number_is_stored_the_same(typed: str) -> None:
    assert normalise_phone(typed) == "+46701234567"


def test_numbers_are_shown_swedish_style() -> None:
    assert show_phone("+46701234567") == "070-123 45 67"
    assert show_phone("+46812345678") == "08-123 456 78"
    assert show_phone("+4520123456") == "+45 20 12 34 56"
    assert show_phone("not a number") == "not a number"
    assert normalise_phone("12") is None


async def _stored_phone(chat: Chat, name: str) -> str | None:
    async with chat.bot.database.sessions() as session:
        return await session.scalar(select(Person.phone).where(Person.name == name))


async def test_seeded_and_typed_numbers_are_stored_once_and_shown_swedish(chat: Chat) -> None:
    assert await _stored_phone(chat, "Anna Lindqvist") == "+46701740605"
    assert "Telefon: 070-174 06 05" in await chat.text("Sara Nilsson", "vem Anna Lindqvist")
    contacts = await chat.text("Sara Nilsson", "kontakter brå")
    assert "070-174 06 05" in contacts and "+46" not in contacts
    await chat.ask(
        "Anna Lindqvist",
        "person ny Test Testsson, organisation: kommunen, titel: Handläggare, telefon: 0701234567",
    )
    assert await _stored_phone(chat, "Test Testsson") == "+46701234567"
    assert "Telefon: 070-123 45 67" in await chat.text("Sara Nilsson", "vem Test Testsson")


async def test_a_number_that_cannot_be_one_is_refused(chat: Chat) -> None:
    text_ = await chat.text(
        "Anna Lindqvist", "person ny Test Testsson, organisation: kommunen, telefon: 12345"
    )
    assert await _stored_phone(chat, "Test Testsson") is None
    assert "telefon" in text_.lower()


async def test_the_migration_rewrites_stored_numbers(empty_database: Database) -> None:
    await upgrade(empty_database, "0008_agreement_cycle")
    async with empty_database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO organization (id, key, name, short_name, sender_name, aliases) "
                "VALUES (1, 'kommun', 'Kommunen', 'Kommunen', 'Kommunen', '[]')"
            )
        )
        for number, phone in ((1, "070-174 06 15"), (2, "ring växeln"), (3, None)):
            await connection.execute(
                text(
                    "INSERT INTO person (id, name, title, organization_id, phone, roles, demo, "
                    "source, active) "
                    "VALUES (:id, :name, '', 1, :phone, '[]', false, 'seed', true)"
                ),
                {"id": number, "name": f"P{number}", "phone": phone},
            )
    await upgrade(empty_database)
    async with empty_database.engine.begin() as connection:
        rows = (await connection.execute(text("SELECT id, phone FROM person ORDER BY id"))).all()
    assert [tuple(row) for row in rows] == [(1, "+46701740615"), (2, "ring växeln"), (3, None)]
