from __future__ import annotations

from sqlalchemy import select

from bot.channels.bindings import channels_bound_to
from storage.models import AuditEvent, Forum
from tests.conftest import Chat


async def test_an_admin_binds_a_channel_to_a_forum(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "kanal forum brå", channel="bra-kanalen")
    assert "Den här kanalen är nu forumkanal för Lokala Brottsförebyggande rådet (Brå)." in text
    async with chat.bot.database.sessions() as session:
        bra = await session.scalar(select(Forum).where(Forum.key == "bra"))
        assert bra is not None
        bound = await channels_bound_to(session, "forum", bra.id)
        assert [c.channel_id for c in bound] == ["bra-kanalen"]
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "channel.bind"))
        assert audit is not None and audit.actor == "Anna Lindqvist"


async def test_joint_and_digest_bindings_and_listing(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "kanal gemensam", channel="komm")
    await chat.ask("Anna Lindqvist", "channel digest", channel="komm")
    text = await chat.text("Anna Lindqvist", "kanal", channel="komm")
    assert "kanal för gemensamma budskap" in text and "kanal för veckosammanfattningen" in text
    async with chat.bot.database.sessions() as session:
        assert [c.channel_id for c in await channels_bound_to(session, "joint")] == ["komm"]


async def test_binding_twice_is_harmless_and_unbinding_works(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "kanal gemensam", channel="komm")
    assert "redan" in await chat.text("Anna Lindqvist", "kanal gemensam", channel="komm")
    assert "inte längre" in await chat.text(
        "Anna Lindqvist", "kanal ta bort gemensam", channel="komm"
    )
    async with chat.bot.database.sessions() as session:
        assert await channels_bound_to(session, "joint") == []
    assert "är inte kanal" in await chat.text(
        "Anna Lindqvist", "kanal ta bort gemensam", channel="komm"
    )


async def test_a_need_to_know_forum_channel_gets_a_warning(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "kanal forum avhopp", channel="avhopp")
    assert "se till att bara forumets medlemmar är med i kanalen" in text


async def test_only_admins_bind_channels(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "kanal forum brå")
    assert "bara administratörer" in text
    async with chat.bot.database.sessions() as session:
        assert await channels_bound_to(session, "forum") == []


async def test_unknown_purpose_and_forum(chat: Chat) -> None:
    assert "förstår inte ”fika”" in await chat.text("Anna Lindqvist", "kanal fika")
    assert "inget forum som heter" in await chat.text("Anna Lindqvist", "kanal forum schack")
