from __future__ import annotations

from sqlalchemy import select

from bot.core.reply import Reply
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from storage.models import AuditEvent, Person
from tests.conftest import Chat


async def person(chat: Chat, name: str) -> Person | None:
    async with chat.bot.database.sessions() as session:
        return await session.scalar(select(Person).where(Person.name == name))


async def test_add_a_person_in_chat(chat: Chat) -> None:
    text = await chat.text(
        "Anna Lindqvist",
        "person ny Eva Strand, organisation: polisen, titel: Utredare, "
        "e-post: Eva.Strand@example.org, telefon: 070-174 06 20, roller: medlem godkännare",
    )
    assert "Eva Strand är tillagd." in text
    eva = await person(chat, "Eva Strand")
    assert eva is not None
    assert (eva.title, eva.email, eva.phone, eva.roles, eva.source) == (
        "Utredare",
        "eva.strand@example.org",
        "+46701740620",  # one stored form, shown as 070-174 06 20
        ["member", "signer"],
        "chat",
    )
    assert eva.organization.key == "polis"


async def test_add_in_english_and_edit(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "person add Eva Strand, org: police, title: Investigator")
    text = await chat.text("Anna Lindqvist", "person edit Eva Strand phone: 044-12 34 56")
    assert "ändrade" in text
    eva = await person(chat, "Eva Strand")
    assert eva is not None and eva.phone == "+4644123456" and eva.title == "Investigator"
    async with chat.bot.database.sessions() as session:
        update = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "person.update")
        )
        assert update is not None
        assert update.before is not None and update.before["phone"] is None
        assert update.after is not None and update.after["phone"] == "+4644123456"


async def test_invalid_details_save_nothing(chat: Chat) -> None:
    text = await chat.text(
        "Anna Lindqvist", "person ny Eva Strand, organisation: brandkåren, e-post: inte-en-adress"
    )
    assert "Personen sparades inte." in text
    assert "Välj kommunen eller polisen." in text and "inte ut som en e-postadress" in text
    assert await person(chat, "Eva Strand") is None


async def test_an_email_in_use_is_refused(chat: Chat) -> None:
    text = await chat.text(
        "Anna Lindqvist",
        "person ny Eva Strand, organisation: kommun, e-post: sara.nilsson@example.org",
    )
    assert "Den e-postadressen har redan Sara Nilsson." in text


async def test_remove_deactivates_and_keeps_history(chat: Chat) -> None:
    assert "borttagen" in await chat.text("Anna Lindqvist", "person ta bort Karin Öberg")
    karin = await person(chat, "Karin Öberg")
    assert karin is not None and not karin.active
    assert "Jag hittar ingen som heter" in await chat.text("Sara Nilsson", "vem Karin Öberg")


async def test_members_may_not_change_people(chat: Chat) -> None:
    assert "bara administratörer" in await chat.text(
        "Sara Nilsson", "person ta bort Anna Lindqvist"
    )
    anna = await person(chat, "Anna Lindqvist")
    assert anna is not None and anna.active


async def _submit(chat: Chat, name: str, action: ButtonPress) -> list[Reply]:
    session = await chat.session(name)
    request = Request(
        user=PlatformUser("console", str(session.person.id)),
        channel=ChannelRef("console", "terminal"),
        press=action,
        person_id=session.person.id,
    )
    return await chat.bot.handle(request)


async def test_the_form_and_its_field_errors(chat: Chat) -> None:
    replies = await chat.ask("Anna Lindqvist", "person ny")
    form = replies[0].form
    assert form is not None and form.route == "person.add"
    assert [f.name for f in form.fields] == ["name", "organisation", "title", "email", "phone"]
    assert dict(form.fields[1].options) == {
        "kommun": "Östra Göinge kommun",
        "polis": "Lokalpolisområde Hässleholm",
    }

    bad = await _submit(
        chat,
        "Anna Lindqvist",
        ButtonPress("person.add", {"name": "", "organisation": "polis", "email": "x@"}),
    )
    assert set(bad[0].field_errors) == {"name", "email"}
    assert "Inget har sparats" in bad[0].text

    good = await _submit(
        chat,
        "Anna Lindqvist",
        ButtonPress("person.add", {"name": "Eva Strand", "organisation": "polis"}),
    )
    assert good[0].field_errors == {} and "Eva Strand är tillagd." in good[0].text


async def test_the_form_is_for_admins_only(chat: Chat) -> None:
    replies = await _submit(
        chat, "Sara Nilsson", ButtonPress("person.add", {"name": "X Y", "organisation": "polis"})
    )
    assert "bara administratörer" in replies[0].text
    assert await person(chat, "X Y") is None
