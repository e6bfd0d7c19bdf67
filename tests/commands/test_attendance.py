"""`närvaro` / `attendance` and the "Registrera närvaro" button: once per person, by rule."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.common.clock import FixedClock
from bot.core.request import ButtonPress
from storage.models import Attendance, AuditEvent, Identity, Organization, Person
from tests.conftest import Chat
from tests.meeting_support import bind_channel, count_rows, posted_to


async def _meeting_now(chat: Chat, forum: str = "brå", who: str = "Anna Lindqvist") -> None:
    """A meeting starting in 15 minutes, so the attendance window is open."""
    text = await chat.text(who, f"möte {forum} idag 10:15")
    assert "M1" in text, text


async def test_registers_the_sender_once_however_often(chat: Chat) -> None:
    await _meeting_now(chat)
    text = await chat.text("Ahmed Karimi", "närvaro M1")
    assert "Närvaro registrerad på M1: Ahmed Karimi (Polisen)." in text
    text = await chat.text("Ahmed Karimi", "närvaro m1")
    assert "Redan registrerad på M1: Ahmed Karimi (Polisen)." in text
    assert await count_rows(chat.bot.database, Attendance) == 1
    async with chat.bot.database.sessions() as session:
        row = await session.scalar(select(Attendance))
        assert row is not None and row.role == "representative"
        audits = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "attendance.register")
            )
        ).all()
        assert len(audits) == 1


async def test_in_english(chat: Chat) -> None:
    await _meeting_now(chat)
    chat.bot.settings.locale = "en"
    text = await chat.text("Ahmed Karimi", "attendance M1")
    assert "Attendance registered for M1: Ahmed Karimi (Polisen)." in text


async def test_button_presses_and_retries_register_once(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await _meeting_now(chat)
    session = await chat.session("Ahmed Karimi")
    attend = ButtonPress("meeting.attend", {"meeting": 1})
    replies = await chat.bot.handle(session._request(press=attend))
    assert "Närvaro registrerad på M1" in replies[0].plain_text()
    await chat.bot.handle(session._request(press=attend))
    # A platform retry carries the same event id: no second effect, no second answer.
    retry = session._request(press=attend)
    retry = type(retry)(**{**retry.__dict__, "event_id": "evt-1"})
    assert (await chat.bot.handle(retry))[0].plain_text()
    assert await chat.bot.handle(retry) == []
    # Concurrent double clicks.
    await asyncio.gather(*(chat.bot.handle(session._request(press=attend)) for _ in range(3)))
    assert await count_rows(chat.bot.database, Attendance) == 1
    card = posted_to(chat, "bra-kanal")[-1]
    assert [(s.title, s.items) for s in card.sections] == [
        ("Närvarande från Polisen", ["Ahmed Karimi (representant)"])
    ]


async def test_rsvp_does_not_register_attendance(chat: Chat) -> None:
    await _meeting_now(chat)
    session = await chat.session("Ahmed Karimi")
    await chat.bot.handle(
        session._request(press=ButtonPress("meeting.rsvp", {"meeting": 1, "coming": True}))
    )
    assert await count_rows(chat.bot.database, Attendance) == 0
    text = await chat.text("Anna Lindqvist", "representation brå")
    assert "Polisen var representerad vid 0 av" not in text  # not held yet: no figures
    assert isinstance(chat.bot.clock, FixedClock)
    chat.bot.clock.advance(timedelta(hours=1))
    text = await chat.text("Anna Lindqvist", "representation brå")
    assert "Polisen var representerad vid 0 av 1 möten i Brå 2026 (0 %)." in text


async def test_refused_before_the_window_opens(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "möte brå idag 10:45")
    text = await chat.text("Ahmed Karimi", "närvaro M1")
    assert "kan registreras från torsdag 26 november 2026 kl. 10.15" in text
    assert await count_rows(chat.bot.database, Attendance) == 0
    assert isinstance(chat.bot.clock, FixedClock)
    chat.bot.clock.advance(timedelta(minutes=15))
    assert "Närvaro registrerad" in await chat.text("Ahmed Karimi", "närvaro M1")


async def test_meeting_that_does_not_exist(chat: Chat) -> None:
    text = await chat.text("Ahmed Karimi", "närvaro M99")
    assert "Jag hittar inget möte M99" in text
    text = await chat.text("Ahmed Karimi", "närvaro 99")
    assert "inget mötes-id" in text


async def test_person_outside_the_forums_organisations_is_refused(chat: Chat) -> None:
    await _meeting_now(chat)
    async with chat.bot.database.transaction() as session:
        region = Organization(
            key="region", name="Region Skåne", short_name="Regionen", sender_name="Region Skåne"
        )
        session.add(region)
        await session.flush()
        session.add(Person(name="Olle Region", organization_id=region.id, roles=["member"]))
    text = await chat.text("Olle Region", "närvaro M1")
    assert "Olle Region tillhör ingen av forumets organisationer" in text
    text = await chat.text("Birgitta Holmén", "närvaro M1 Ahmed Karimi, Olle Region")
    assert "tillhör ingen av forumets organisationer" in text
    assert await count_rows(chat.bot.database, Attendance) == 0


async def test_chair_registers_others_by_name_and_mention(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await _meeting_now(chat)
    async with chat.bot.database.transaction() as session:
        ahmed = await session.scalar(select(Person).where(Person.name == "Ahmed Karimi"))
        assert ahmed is not None
        session.add(Identity(person_id=ahmed.id, platform="console", user_id="U777"))
    text = await chat.text("Birgitta Holmén", "närvaro M1 Erik Holm och <@U777>")
    assert "Närvaro registrerad på M1:" in text
    assert "Erik Holm (Kommunen)" in text and "Ahmed Karimi (Polisen)" in text
    assert await count_rows(chat.bot.database, Attendance) == 2
    card = posted_to(chat, "bra-kanal")[-1]
    titles = [s.title for s in card.sections]
    assert titles == ["Närvarande från Kommunen", "Närvarande från Polisen"]


async def test_others_only_by_chair_secretary_or_admin(chat: Chat) -> None:
    await _meeting_now(chat)
    text = await chat.text("Erik Holm", "närvaro M1 Ahmed Karimi")
    assert "Bara ordförande eller sekreterare" in text
    assert await count_rows(chat.bot.database, Attendance) == 0
    text = await chat.text("Erik Holm", "närvaro M1 Okänd Personsson")
    assert "Jag hittar ingen som heter" in text


async def test_wrong_entry_is_removed_and_audited(chat: Chat) -> None:
    await _meeting_now(chat)
    await chat.text("Birgitta Holmén", "närvaro M1 Erik Holm")
    text = await chat.text("Erik Holm", "närvaro M1 ta bort Erik Holm")
    assert "Bara ordförande eller sekreterare" in text
    text = await chat.text("Birgitta Holmén", "närvaro M1 ta bort Erik Holm")
    assert "Närvaron är borttagen från M1: Erik Holm." in text
    assert await count_rows(chat.bot.database, Attendance) == 0
    chat.bot.settings.locale = "en"
    text = await chat.text("Birgitta Holmén", "attendance M1 remove Erik Holm")
    assert "None of them was registered" in text
    async with chat.bot.database.sessions() as session:
        removed = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "attendance.remove")
        )
        assert removed is not None and removed.before == {
            "person": "Erik Holm",
            "organization": "kommun",
        }


async def test_need_to_know_meeting_is_invisible_to_outsiders(chat: Chat) -> None:
    await _meeting_now(chat, forum="tillsyn", who="Lars Persson")
    text = await chat.text("Maria Ek", "närvaro M1")
    assert "Jag hittar inget möte M1" in text
    text = await chat.text("Linnea Sjöberg", "närvaro M1")
    assert "Närvaro registrerad på M1" in text


def test_attendance_has_no_field_for_notes() -> None:
    columns = set(Attendance.__table__.columns.keys())
    assert columns == {
        "id",
        "meeting_id",
        "person_id",
        "organization_id",
        "role",
        "registered_by_person_id",
        "registered_at",
        "source",  # `bot` or `import` (minutes imported afterwards), never free text
    }


async def _link(chat: Chat, name: str, user_id: str, workspace: str = "") -> None:
    async with chat.bot.database.transaction() as session:
        person = await session.scalar(select(Person).where(Person.name == name))
        assert person is not None
        session.add(
            Identity(person_id=person.id, platform="console", workspace=workspace, user_id=user_id)
        )


async def test_keeper_registers_several_with_the_picker_form(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await _meeting_now(chat)
    await _link(chat, "Ahmed Karimi", "U777")
    await _link(chat, "Erik Holm", "U778")
    session = await chat.session("Birgitta Holmén")
    card = posted_to(chat, "bra-kanal")[-1]
    many = next(b for b in card.buttons if b.label == "Registrera flera")
    opened = await chat.bot.handle(session._request(press=ButtonPress(many.route, many.payload)))
    form = opened[0].form
    assert form is not None and form.route == "attendance.many"
    assert [(f.name, f.kind) for f in form.fields] == [("people", "users")]
    assert form.payload == {"meeting": 1}
    # Ids arrive as a list; a repeat or a mention-shaped id counts once.
    values = {**form.payload, "people": ["U777", "<@U778>", "U777"]}
    replies = await chat.bot.handle(session._request(press=ButtonPress(form.route, values)))
    text = replies[0].plain_text()
    assert "Närvaro registrerad på M1: Ahmed Karimi (Polisen), Erik Holm (Kommunen)." in text
    assert await count_rows(chat.bot.database, Attendance) == 2
    titles = [s.title for s in posted_to(chat, "bra-kanal")[-1].sections]
    assert titles == ["Närvarande från Kommunen", "Närvarande från Polisen"]


async def test_picker_with_an_unknown_user_saves_nothing(chat: Chat) -> None:
    await _meeting_now(chat)
    await _link(chat, "Ahmed Karimi", "U777")
    await _link(chat, "Erik Holm", "U778", workspace="another-workspace")
    session = await chat.session("Anna Lindqvist")
    values = {"meeting": 1, "people": ["U777", "U999", "U778"]}
    replies = await chat.bot.handle(session._request(press=ButtonPress("attendance.many", values)))
    error = replies[0].field_errors["people"]
    # Known in another workspace is not known here.
    assert "Boten vet inte vem de här är: U999, U778." in error
    assert "Inget har sparats" in error
    assert await count_rows(chat.bot.database, Attendance) == 0
    replies = await chat.bot.handle(
        session._request(press=ButtonPress("attendance.many", {"meeting": 1, "people": []}))
    )
    assert replies[0].field_errors == {"people": "Välj minst en person."}


async def test_picker_form_only_for_keepers_and_in_the_window(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "möte brå idag 10:45")
    await _link(chat, "Ahmed Karimi", "U777")
    anna = await chat.session("Anna Lindqvist")
    early = await chat.bot.handle(
        anna._request(press=ButtonPress("attendance.form", {"meeting": 1}))
    )
    assert early[0].form is None and "kan registreras från" in early[0].plain_text()
    assert isinstance(chat.bot.clock, FixedClock)
    chat.bot.clock.advance(timedelta(minutes=15))
    merete = await chat.session("Erik Holm")
    refused = await chat.bot.handle(
        merete._request(press=ButtonPress("attendance.form", {"meeting": 1}))
    )
    assert (
        refused[0].form is None and "Bara ordförande eller sekreterare" in refused[0].plain_text()
    )
    values = {"meeting": 1, "people": ["U777"]}
    replies = await chat.bot.handle(merete._request(press=ButtonPress("attendance.many", values)))
    assert "Bara ordförande eller sekreterare" in replies[0].field_errors["people"]
    assert await count_rows(chat.bot.database, Attendance) == 0
    opened = await chat.bot.handle(
        anna._request(press=ButtonPress("attendance.form", {"meeting": 1}))
    )
    assert opened[0].form is not None


async def test_picker_rendered_as_text_takes_names(chat: Chat) -> None:
    """A platform without a people picker sends the field as typed text: names work too."""
    await _meeting_now(chat)
    session = await chat.session("Anna Lindqvist")
    wrong = {"meeting": 1, "people": "Ahmed Karimi, Okänd Personsson"}
    replies = await chat.bot.handle(session._request(press=ButtonPress("attendance.many", wrong)))
    assert "Jag hittar ingen som heter ”Okänd Personsson”" in replies[0].field_errors["people"]
    assert await count_rows(chat.bot.database, Attendance) == 0
    values = {"meeting": 1, "people": "Ahmed Karimi och Erik Holm"}
    replies = await chat.bot.handle(session._request(press=ButtonPress("attendance.many", values)))
    assert "Ahmed Karimi (Polisen), Erik Holm (Kommunen)" in replies[0].plain_text()
    assert await count_rows(chat.bot.database, Attendance) == 2


async def test_picked_users_are_linked_by_the_email_the_platform_vouches_for(chat: Chat) -> None:
    await _meeting_now(chat)
    session = await chat.session("Anna Lindqvist")
    values = {
        "meeting": 1,
        "people": ["U900", "U901"],
        "people_emails": {"U900": "Sara.Nilsson@example.org", "U901": "nobody@example.org"},
    }
    replies = await chat.bot.handle(session._request(press=ButtonPress("attendance.many", values)))
    assert "Boten vet inte vem de här är: U901." in replies[0].field_errors["people"]
    assert await count_rows(chat.bot.database, Identity) == 0  # rolled back with the rest
    values["people"] = ["U900"]
    replies = await chat.bot.handle(session._request(press=ButtonPress("attendance.many", values)))
    # Sara has no seat in Brå: accepted, with the note that she counts for her organisation.
    registered = (
        "Närvaro registrerad på M1: Sara Nilsson (ej medlem i forumet – räknas för Kommunen)."
    )
    assert registered in replies[0].plain_text()
    async with chat.bot.database.sessions() as db:
        [identity] = (await db.scalars(select(Identity))).all()
        assert (identity.platform, identity.user_id, identity.linked_by) == (
            "console",
            "U900",
            "email",
        )
