from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent, ForumMember, Person
from tests.conftest import Chat


async def role_of(chat: Chat, name: str, forum_key: str) -> str | None:
    async with chat.bot.database.sessions() as session:
        member = await session.scalar(
            select(ForumMember)
            .join(Person)
            .where(Person.name == name, ForumMember.forum.has(key=forum_key))
        )
        return member.role if member else None


async def test_give_change_and_remove_a_role(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "medlem spindelgrupp broby Johan Berg ersättare")
    assert "Johan Berg är nu ersättare i Spindelgrupp Broby." in text
    assert await role_of(chat, "Johan Berg", "spindel.broby") == "deputy"
    await chat.ask("Anna Lindqvist", "member broby Johan Berg representative")
    assert await role_of(chat, "Johan Berg", "spindel.broby") == "representative"
    assert "inte längre med" in await chat.text("Anna Lindqvist", "medlem broby Johan Berg ta bort")
    assert await role_of(chat, "Johan Berg", "spindel.broby") is None
    async with chat.bot.database.sessions() as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("member.%"))
                .order_by(AuditEvent.id)
            )
        ).all()
    assert actions == ["member.set", "member.set", "member.remove"]


async def test_a_new_member_sees_need_to_know_contacts(chat: Chat) -> None:
    assert "visas bara" in await chat.text("Sara Nilsson", "kontakter avhopp")
    await chat.ask("Anna Lindqvist", "medlem avhopp Sara Nilsson ersättare")
    assert "Peter Wallin" in await chat.text("Sara Nilsson", "kontakter avhopp")


async def test_bad_role_and_unknown_person(chat: Chat) -> None:
    assert "Skriv så här: `medlem" in await chat.text(
        "Anna Lindqvist", "medlem brå Johan Berg kaffekokare"
    )
    assert "hittar ingen som heter ”Nils Holgersson”" in await chat.text(
        "Anna Lindqvist", "medlem brå Nils Holgersson representant"
    )
