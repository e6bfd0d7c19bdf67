from __future__ import annotations

from sqlalchemy import select

from bot.core.identity import link_by_email
from bot.core.request import ChannelRef, PlatformUser, Request
from storage.models import AuditEvent, Identity, Person
from tests.conftest import Chat
from tests.meeting_support import count_rows


def slack_request(user_id: str, text: str) -> Request:
    return Request(
        user=PlatformUser("slack", user_id, workspace="T0001", email=None),
        channel=ChannelRef("slack", "C1", workspace="T0001"),
        text=text,
    )


async def test_an_unknown_user_gets_the_registration_hint_but_help_works(chat: Chat) -> None:
    refused = await chat.bot.handle(slack_request("U999", "kontakter brå"))
    assert "inte registrerad" in refused[0].text
    helped = await chat.bot.handle(slack_request("U999", "hjälp"))
    assert "Samverkansboten – hjälp" in helped[0].plain_text()
    assert "inte registrerad" in helped[0].plain_text()


async def test_an_admin_links_a_platform_user_by_hand(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "koppla <@slack:T0001:U999> Veronica Gustafsson")
    assert "Kontot är nu kopplat till Veronica Gustafsson." in text
    answer = await chat.bot.handle(slack_request("U999", "kontakter brå"))
    assert "Kontakter – Lokala Brottsförebyggande rådet (Brå)" in answer[0].plain_text()
    async with chat.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == "U999"))
        assert identity is not None and identity.linked_by == "admin"


async def test_a_plain_mention_links_on_the_askers_platform(chat: Chat) -> None:
    async with chat.bot.database.sessions() as session:
        anna_identity = Identity(
            person_id=(await chat.session("Anna Lindqvist")).person.id,
            platform="slack",
            workspace="T0001",
            user_id="UADMIN",
        )
        session.add(anna_identity)
        await session.commit()
    answer = await chat.bot.handle(slack_request("UADMIN", "koppla <@U777|sara> Sara Nilsson"))
    assert "kopplat till Sara Nilsson" in answer[0].text
    whoami = await chat.bot.handle(slack_request("U777", "vem Sara Nilsson"))
    assert "Fritidsledare" in whoami[0].plain_text()


async def test_first_contact_links_by_work_email(chat: Chat) -> None:
    request = Request(
        user=PlatformUser("slack", "U555", workspace="T0001", email="Sara.Nilsson@example.org"),
        channel=ChannelRef("slack", "C1", workspace="T0001"),
        text="vem Anna Lindqvist",
    )
    answer = await chat.bot.handle(request)
    assert "Brå-samordnare" in answer[0].plain_text()
    async with chat.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == "U555"))
        assert identity is not None and identity.linked_by == "email"


async def test_link_needs_a_mention_and_a_person(chat: Chat) -> None:
    assert "Skriv så här: `koppla" in await chat.text("Anna Lindqvist", "koppla Veronica")
    assert "Skriv så här: `koppla" in await chat.text("Anna Lindqvist", "koppla <@U1>")


async def test_two_first_messages_at_once_link_once_and_both_are_answered(chat: Chat) -> None:
    """The second of two simultaneous first messages looked for an identity before the first
    stored one; its own link then meets the stored one and it goes on as the same person."""
    user = PlatformUser("slack", "U556", workspace="T0001", email="sara.nilsson@example.org")
    now = chat.bot.clock.now()
    database = chat.bot.database
    async with database.transaction() as first:
        linked = await link_by_email(first, user, now)
    async with database.transaction() as second:
        again = await link_by_email(second, user, now)
        assert again is not None and linked is not None and again.id == linked.id
        # The duplicate was skipped, not failed: the transaction goes on.
        assert await second.scalar(select(Person.name).where(Person.id == again.id))
    assert await count_rows(database, Identity, user_id="U556") == 1
    assert await count_rows(database, AuditEvent, action="identity.link") == 1
