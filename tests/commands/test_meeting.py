"""`möte` / `meeting`: scheduling in Swedish and English, cards, need-to-know, the form, RSVP."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.reply import Visibility
from bot.core.request import ButtonPress
from storage.models import Attendance, AuditEvent, Meeting, PostedMessage, Rsvp
from tests.conftest import Chat
from tests.meeting_support import bind_channel, count_rows, posted_to


async def test_schedules_in_swedish_and_echoes_the_time_in_full(chat: Chat) -> None:
    replies = await chat.ask("Anna Lindqvist", "möte brå 3/12 9.00 plats: Kommunhuset")
    text = replies[0].plain_text()
    assert "Mötet M1 i Lokala Brottsförebyggande rådet (Brå) är planerat" in text
    assert "torsdag 3 december 2026 kl. 09.00" in text
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    async with chat.bot.database.sessions() as session:
        meeting = await session.scalar(select(Meeting))
        assert meeting is not None
        assert meeting.place == "Kommunhuset"
        assert meeting.starts_at.isoformat() == "2026-12-03T08:00:00+00:00"
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "meeting.create")
        )
        assert audit is not None and audit.entity_id == "M1"


async def test_schedules_in_english(chat: Chat) -> None:
    chat.bot.settings.locale = "en"
    text = await chat.text("Anna Lindqvist", "meeting brå tomorrow 2pm place: Town hall")
    assert "Meeting M1 of Local Crime Prevention Council (Brå) is scheduled" in text
    assert "Friday 27 November 2026 at 14:00" in text


async def test_group_is_found_by_its_name(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "möte spindel broby tisdag 13:30")
    assert "Spindelgrupp Broby" in text and "tisdag 1 december 2026 kl. 13.30" in text


async def test_card_goes_to_the_forums_channel_with_buttons(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await bind_channel(chat.bot.database, "broby-kanal", "spindel.broby")
    text = await chat.text("Anna Lindqvist", "möte brå 3 dec kl 13 plats: Kommunhuset")
    assert "publicerat i forumets kanal" in text
    cards = posted_to(chat, "bra-kanal")
    assert len(cards) == 1 and not posted_to(chat, "broby-kanal")
    card = cards[0]
    assert card.heading == "Möte M1: Lokala Brottsförebyggande rådet (Brå)"
    fields = {f.label: f.value for f in card.fields}
    assert fields["Tid"] == "torsdag 3 december 2026 kl. 13.00"
    assert fields["Plats"] == "Kommunhuset"
    assert fields["Förväntade parter"] == "Kommunen, Polisen"
    assert [b.label for b in card.buttons] == [
        "Jag kommer",
        "Kan inte",
        "Registrera närvaro",
        "Registrera flera",
    ]
    assert card.buttons[2].payload == {"meeting": 1}
    assert "Skriv inga uppgifter" not in (card.context or "")


async def test_group_meeting_card_says_no_personal_text(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "spindel-kanal", "spindel")
    await chat.text("Sara Nilsson", "möte broby tisdag 13:30")
    card = posted_to(chat, "spindel-kanal")[0]
    fields = {f.label: f.value for f in card.fields}
    assert fields["Grupp"] == "Spindelgrupp Broby"
    assert fields["Forum"].startswith("Spindelgrupper")
    assert "Skriv inga uppgifter om enskilda personer." in (card.context or "")


async def test_feed_link_on_the_card_when_a_secret_is_set(chat: Chat) -> None:
    chat.bot.settings.calendar_secret = "s3cret"
    chat.bot.settings.public_url = "https://bot.example.org"
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await chat.text("Anna Lindqvist", "möte brå 3 dec kl 13")
    context = posted_to(chat, "bra-kanal")[0].context or ""
    assert "https://bot.example.org/calendar/bra.ics?key=" in context


async def test_need_to_know_card_only_in_the_forums_own_channel(chat: Chat) -> None:
    chat.bot.settings.calendar_secret = "s3cret"
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await bind_channel(chat.bot.database, "tillsyn-kanal", "tillsyn")
    text = await chat.text("Lars Persson", "möte tillsyn i morgon 19:00 plats: Krogen")
    assert "M1" in text
    assert not posted_to(chat, "bra-kanal")
    card = posted_to(chat, "tillsyn-kanal")[0]
    assert "calendar" not in (card.context or "")


async def test_outsider_cannot_schedule_need_to_know(chat: Chat) -> None:
    text = await chat.text("Maria Ek", "möte tillsyn i morgon 19:00")
    assert "Bara medlemmar" in text
    assert await count_rows(chat.bot.database, Meeting) == 0


async def test_past_time_refused_unless_recorded_afterwards(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå 2026-11-03 10:00")
    assert "har redan varit" in text and "--efterhand" in text
    assert await count_rows(chat.bot.database, Meeting) == 0
    text = await chat.text("Anna Lindqvist", "möte brå 3 nov kl 10 --efterhand")
    assert "registrerat i efterhand: tisdag 3 november 2026 kl. 10.00" in text
    chat.bot.settings.locale = "en"
    text = await chat.text("Anna Lindqvist", "meeting brå 2026-11-05 10:00 --past")
    assert "recorded afterwards" in text
    assert await count_rows(chat.bot.database, Meeting, recorded_afterwards=True) == 2


async def test_after_the_agreement_ends_is_allowed(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå 2027-02-10 13:00")
    assert "onsdag 10 februari 2027 kl. 13.00" in text


async def test_dst_gap_and_overlap_are_explained(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå 2027-03-28 02:30")
    assert "finns inte" in text and "sommartid" in text
    text = await chat.text("Anna Lindqvist", "möte brå 2027-10-31 02:30")
    assert "två gånger" in text and "vintertid" in text
    assert await count_rows(chat.bot.database, Meeting) == 0


async def test_unknown_forum_lists_forums_and_groups(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möte styrelsen 3 dec kl 13")
    assert "Jag känner inte till det forumet" in text
    assert "Spindelgrupp Knislinge" in text and "Avhopparverksamhet" in text


async def test_unreadable_date_gives_examples(chat: Chat) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå snart kl 25")
    assert "Skriv till exempel `2026-12-03 09:00`" in text
    chat.bot.settings.locale = "en"
    text = await chat.text("Anna Lindqvist", "meeting brå 3 dec")
    assert "has no time of day" in text and "tomorrow 2pm" in text


async def test_series_is_scheduled_and_only_its_first_card_posted(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "broby-kanal", "spindel.broby")
    text = await chat.text(
        "Sara Nilsson", "möte broby varannan tisdag 13:30 till 2027-01-15 även under lov"
    )
    assert "4 möten i Spindelgrupp Broby är planerade" in text
    assert "tisdag 1 december 2026 kl. 13.30 (M1)" in text
    assert len(posted_to(chat, "broby-kanal")) == 1


async def test_form_without_arguments_and_its_submission(chat: Chat) -> None:
    replies = await chat.ask("Anna Lindqvist", "möte")
    form = replies[0].form
    assert form is not None and form.route == "meeting.schedule"
    assert [f.name for f in form.fields] == ["forum", "when", "place"]
    session = await chat.session("Anna Lindqvist")
    bad = await chat.bot.handle(
        session._request(press=ButtonPress("meeting.schedule", {"forum": "bra", "when": "3 dec"}))
    )
    assert "when" in bad[0].field_errors
    good = await chat.bot.handle(
        session._request(
            press=ButtonPress(
                "meeting.schedule", {"forum": "bra", "when": "3/12 9.00", "place": "A"}
            )
        )
    )
    assert "torsdag 3 december 2026 kl. 09.00" in good[0].plain_text()


async def test_rsvp_is_one_answer_per_person_and_not_attendance(chat: Chat) -> None:
    await bind_channel(chat.bot.database, "bra-kanal", "bra")
    await chat.text("Anna Lindqvist", "möte brå 3 dec kl 13")
    assert await count_rows(chat.bot.database, PostedMessage, card="meeting:1") == 1
    buttons = posted_to(chat, "bra-kanal")[0].buttons
    session = await chat.session("Niklas Årcén")
    session.choices = buttons
    replies = await session.press(1)
    assert "Noterat: du kommer till M1" in replies[0].plain_text()
    session.choices = buttons
    await session.press(1)
    session.choices = buttons
    await session.press(2)
    async with chat.bot.database.sessions() as db:
        answers = (await db.scalars(select(Rsvp))).all()
    assert [a.coming for a in answers] == [False]
    assert await count_rows(chat.bot.database, Attendance) == 0
    # One post, then three in-place updates of the same card.
    copies = posted_to(chat, "bra-kanal")
    assert len(copies) == 4
    assert "Kommer: 0. Kan inte: 1." in (copies[-1].context or "")


async def test_place_with_a_personal_identity_number_is_refused(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "möte broby tisdag 13:30 plats: hos 20100101-0006")
    assert "personnummer" in text and "Inget har sparats" in text
    assert await count_rows(chat.bot.database, Meeting) == 0


async def test_card_follows_a_binding_made_with_the_channel_command(chat: Chat) -> None:
    assert "forumkanal" in await chat.text("Anna Lindqvist", "kanal forum tillsyn", channel="tills")
    await chat.text("Anna Lindqvist", "kanal forum brå", channel="bra-rum")
    await chat.text("Lars Persson", "möte tillsyn i morgon 19:00", channel="allmänt")
    assert [c.heading for c in posted_to(chat, "tills")] == [
        "Möte M1: Lagstadgad tillsynsverksamhet i samverkan"
    ]
    assert posted_to(chat, "bra-rum") == [] and posted_to(chat, "allmänt") == []
