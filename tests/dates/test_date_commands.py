"""Dates through the commands, on the injected clock: a Thursday, a year end, the agreement's end.

Every answer that reads a date repeats it with the weekday; a year the bot guessed far ahead or
past the agreement's end (2026-12-31) is asked about before anything is saved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.common.clock import FixedClock
from bot.core.request import ButtonPress
from storage.models import ActionItem, Job, Meeting, MeetingSeries
from tests.conftest import Chat
from tests.meeting_support import count_rows

THURSDAY = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # torsdag 3 december 2026, 10.00 local
NEW_YEARS_EVE = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)


@pytest.fixture
def thursday(clock: FixedClock) -> FixedClock:
    clock.set(THURSDAY)
    return clock


async def meetings(chat: Chat) -> list[Meeting]:
    async with chat.bot.database.sessions() as session:
        return list((await session.scalars(select(Meeting).order_by(Meeting.id))).all())


async def test_next_friday_is_next_weeks_and_friday_the_coming_one(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå nästa fredag 10:00")
    assert "fredag 11 december 2026 kl. 10.00" in text
    text = await chat.text("Anna Lindqvist", "möte brå på fredag 13:00")
    assert "fredag 4 december 2026 kl. 13.00" in text
    text = await chat.text("Anna Lindqvist", "åtgärd Boka lokal senast nästa fredag")
    assert "senast fredag 11 december 2026" in text
    async with chat.bot.database.sessions() as session:
        item = await session.scalar(select(ActionItem))
        assert item is not None and item.due == date(2026, 12, 11)


async def test_relative_days_across_the_year_end(chat: Chat, clock: FixedClock) -> None:
    clock.set(NEW_YEARS_EVE)
    text = await chat.text("Anna Lindqvist", "möte brå nästa vecka 09:00")
    assert "måndag 4 januari 2027 kl. 09.00" in text
    text = await chat.text("Anna Lindqvist", "möte brå om två veckor 09:00")
    assert "torsdag 14 januari 2027 kl. 09.00" in text
    text = await chat.text("Anna Lindqvist", "påminn mig vecka 3 kl 9 ring skolan")
    assert "måndag 18 januari 2027" in text


async def test_a_guessed_year_after_the_agreement_is_asked_about_first(
    chat: Chat, thursday: FixedClock
) -> None:
    replies = await chat.ask("Anna Lindqvist", "möte brå 1/11 10:00")
    text = replies[0].plain_text()
    assert "Menar du måndag 1 november 2027?" in text
    assert "efter att överenskommelsen löper ut 31 december 2026" in text
    assert [b.label for b in replies[0].buttons] == ["Ja", "Nej"]
    assert await meetings(chat) == []
    replies = await chat.ask("Anna Lindqvist", "1")  # Ja
    assert "Mötet M1" in replies[0].plain_text()
    assert "måndag 1 november 2027 kl. 10.00" in replies[0].plain_text()
    assert replies[0].replace_original
    saved = await meetings(chat)
    assert [m.starts_at for m in saved] == [datetime(2027, 11, 1, 9, 0, tzinfo=UTC)]


async def test_no_saves_nothing_and_says_how_to_write_the_year(
    chat: Chat, thursday: FixedClock
) -> None:
    await chat.ask("Anna Lindqvist", "möte brå 1/11 10:00")
    replies = await chat.ask("Anna Lindqvist", "2")  # Nej
    assert "Inget sparades" in replies[0].plain_text()
    assert "1/11/2026" in replies[0].plain_text()
    assert await meetings(chat) == []


async def test_near_but_after_the_agreements_end_is_asked_about(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå 5/1 10:00")
    assert "Menar du tisdag 5 januari 2027?" in text
    assert "löper ut 31 december 2026" in text
    assert await meetings(chat) == []
    # Written with its year, or before the end, it is booked without a question.
    text = await chat.text("Anna Lindqvist", "möte brå 5/1/2027 10:00")
    assert "Mötet M1" in text and "tisdag 5 januari 2027" in text
    text = await chat.text("Anna Lindqvist", "möte brå 15/12 10:00")
    assert "Mötet M2" in text and "tisdag 15 december 2026" in text


async def test_far_ahead_within_the_agreement_is_asked_about_too(
    chat: Chat, clock: FixedClock
) -> None:
    clock.set(datetime(2025, 3, 6, 9, 0, tzinfo=UTC))  # torsdag 6 mars 2025
    # 1 February has passed this year: next year's is eleven months ahead.
    text = await chat.text("Anna Lindqvist", "möte brå 1/2 10:00")
    assert "Menar du söndag 1 februari 2026?" in text
    assert "löper ut" not in text
    assert await meetings(chat) == []
    # Later this year, or only a little ahead: booked without a question.
    text = await chat.text("Anna Lindqvist", "möte brå 1/11 10:00")
    assert "Mötet M1" in text and "lördag 1 november 2025" in text
    text = await chat.text("Anna Lindqvist", "möte brå 4/3 10:00")
    assert "Menar du onsdag 4 mars 2026?" in text


async def test_english_question(chat: Chat, thursday: FixedClock) -> None:
    chat.bot.settings.locale = "en"
    replies = await chat.ask("Anna Lindqvist", "meeting brå 1/11 10:00")
    text = replies[0].plain_text()
    assert "Do you mean Monday 1 November 2027?" in text
    assert "after the agreement ends on 31 December 2026" in text
    assert [b.label for b in replies[0].buttons] == ["Yes", "No"]


async def test_action_and_reminder_confirm_the_year(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "åtgärd Boka lokal senast 1/11")
    assert "Menar du måndag 1 november 2027?" in text
    assert await count_rows(chat.bot.database, ActionItem) == 0
    text = await chat.text("Anna Lindqvist", "1")
    assert "senast måndag 1 november 2027" in text
    assert await count_rows(chat.bot.database, ActionItem) == 1
    text = await chat.text("Anna Lindqvist", "påminn mig 1/11 kl 9 ring skolan")
    assert "Menar du måndag 1 november 2027?" in text
    assert await count_rows(chat.bot.database, Job, kind="reminder") == 0
    text = await chat.text("Anna Lindqvist", "1")
    assert "måndag 1 november 2027 kl. 09.00" in text
    assert await count_rows(chat.bot.database, Job, kind="reminder") == 1


async def test_the_terminal_takes_ja_and_nej_typed_as_the_buttons(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Anna Lindqvist", "åtgärd Boka lokal senast 1/11")
    assert "Menar du måndag 1 november 2027?" in text
    text = await chat.text("Anna Lindqvist", "nej")
    assert "Jag känner inte till kommandot" not in text
    assert await count_rows(chat.bot.database, ActionItem) == 0
    await chat.text("Anna Lindqvist", "åtgärd Boka lokal senast 1/11")
    text = await chat.text("Anna Lindqvist", " Ja ")
    assert "senast måndag 1 november 2027" in text
    assert await count_rows(chat.bot.database, ActionItem) == 1


async def test_a_series_ending_after_the_agreement_is_asked_about(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå varannan tisdag 13:30 till 30/6")
    assert "Menar du onsdag 30 juni 2027?" in text
    assert await count_rows(chat.bot.database, MeetingSeries) == 0
    text = await chat.text("Anna Lindqvist", "1")
    assert "Rytm: varannan tisdag kl. 13.30 till och med 30 juni 2027." in text
    assert "FREQ" not in text
    assert await count_rows(chat.bot.database, MeetingSeries) == 1


async def test_weekend_holiday_and_same_day_notices(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå lördag 10:00")
    assert "Obs! Mötet infaller under helgen (lördag 5 december 2026). Det är bokat ändå." in text
    text = await chat.text("Anna Lindqvist", "möte brå 25/12 10:00")
    assert "Obs! Mötet infaller på en röd dag, Juldagen (fredag 25 december 2026)" in text
    text = await chat.text("Anna Lindqvist", "möte brå 8/12 10:00")
    assert "Obs!" not in text
    text = await chat.text("Anna Lindqvist", "möte brå 8/12 14:00")
    assert "Forumet har redan möte samma dag: M3 (tisdag 8 december 2026 kl. 10.00)" in text
    assert len(await meetings(chat)) == 4  # every one was booked


async def test_spindel_series_skip_school_holidays_and_say_which(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Sara Nilsson", "möte broby varje tisdag 13:30 till 2027-01-19")
    assert "4 möten i Spindelgrupp Broby är planerade" in text
    assert (
        "3 datum under skollov hoppades över: tisdag 22 december 2026 (jullov), "
        "tisdag 29 december 2026 (jullov), tisdag 5 januari 2027 (jullov)."
    ) in text
    days = [m.starts_at.date() for m in await meetings(chat)]
    assert days == [date(2026, 12, 8), date(2026, 12, 15), date(2027, 1, 12), date(2027, 1, 19)]


async def test_other_forums_keep_holidays_unless_asked(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå varje tisdag 13:30 till 2027-01-19")
    assert "7 möten" in text and "skollov" not in text
    text = await chat.text("Anna Lindqvist", "möte brå varje onsdag 13:30 till 2027-01-20 utom lov")
    assert "4 möten" in text and "3 datum under skollov hoppades över" in text


async def test_a_series_on_public_holidays_says_so(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå varje fredag 10:00 till 2027-01-01")
    assert "Obs! 2 av mötena infaller på en röd dag: fredag 25 december 2026 (Juldagen), " in text
    assert "fredag 1 januari 2027 (Nyårsdagen)" in text


async def test_forum_names_are_forgiven_in_mote(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Sara Nilsson", "möte spindl knislinge 10/12 10:00")
    assert "Spindelgrupp Knislinge" in text and "torsdag 10 december 2026 kl. 10.00" in text
    text = await chat.text("Anna Lindqvist", "möte brotsförebyggande rådet 9/12 10:00")
    assert "Lokala Brottsförebyggande rådet (Brå)" in text


async def test_periods_in_words_and_a_bad_period_named(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "representation brå andra halvåret 2026")
    assert "Representation andra halvåret 2026" in text and "2026-H2" not in text
    text = await chat.text("Anna Lindqvist", "representation brå 2026-H2")
    assert "Representation andra halvåret 2026" in text
    text = await chat.text("Anna Lindqvist", "representation hösten 2026")
    assert "Representation hösten 2026" in text
    text = await chat.text("Anna Lindqvist", "representation brå första tertialet 2026")
    assert "Representation första tertialet 2026" in text
    text = await chat.text("Anna Lindqvist", "representation brå femte tertialet 2026")
    assert "Jag kan inte läsa perioden" in text and "forumet" not in text
    chat.bot.settings.locale = "en"
    text = await chat.text("Anna Lindqvist", "representation brå second half 2026")
    assert "the second half of 2026" in text


async def test_moving_a_meeting_confirms_a_guessed_year(chat: Chat, thursday: FixedClock) -> None:
    await chat.text("Anna Lindqvist", "möte brå 10/12 10:00")
    text = await chat.text("Anna Lindqvist", "serie flytta M1 1/11 10:00")
    assert "Menar du måndag 1 november 2027?" in text
    assert [m.starts_at.date() for m in await meetings(chat)] == [date(2026, 12, 10)]
    text = await chat.text("Anna Lindqvist", "1")
    assert "till måndag 1 november 2027 kl. 10.00" in text
    assert [m.starts_at.date() for m in await meetings(chat)] == [date(2027, 11, 1)]


async def test_the_question_shows_how_to_type_the_year(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text("Anna Lindqvist", "möte brå 1/11 10:00")
    assert "`1/11/2027` eller `1/11/2026`" in text
    text = await chat.text("Anna Lindqvist", "möte brå 1/11/2026 10:00")
    assert "söndag 1 november 2026 kl. 10.00 har redan varit" in text
    assert await meetings(chat) == []


async def test_a_moved_meeting_gets_the_days_notices(chat: Chat, thursday: FixedClock) -> None:
    await chat.text("Anna Lindqvist", "möte brå 10/12 10:00")
    text = await chat.text("Anna Lindqvist", "serie flytta M1 lördag 10:00")
    assert "Obs! Mötet infaller under helgen (lördag 5 december 2026)" in text


async def test_a_forgiven_forum_name_leaves_the_time_whole(
    chat: Chat, thursday: FixedClock
) -> None:
    text = await chat.text("Sara Nilsson", "möte spindl knislinge nästa fredag 10:00")
    assert "Spindelgrupp Knislinge" in text and "fredag 11 december 2026 kl. 10.00" in text
    text = await chat.text("Sara Nilsson", "möte spindl knislinge i morgon 10:00")
    assert "fredag 4 december 2026 kl. 10.00" in text


async def test_the_meeting_form_asks_the_same_question(chat: Chat, thursday: FixedClock) -> None:
    session = await chat.session("Anna Lindqvist")
    form = {"forum": "bra", "when": "1/11 10:00", "place": "Kommunhuset"}
    replies = await chat.bot.handle(session._request(press=ButtonPress("meeting.schedule", form)))
    assert "Menar du måndag 1 november 2027?" in replies[0].plain_text()
    assert await meetings(chat) == []
    session.choices = replies[0].buttons
    replies = await session.press(1)
    assert "Mötet M1" in replies[0].plain_text()
    saved = await meetings(chat)
    assert [(m.starts_at, m.place) for m in saved] == [
        (datetime(2027, 11, 1, 9, 0, tzinfo=UTC), "Kommunhuset")
    ]


async def test_a_tampered_yes_saves_nothing(chat: Chat, thursday: FixedClock) -> None:
    session = await chat.session("Anna Lindqvist")
    payload = {"forum": "bra", "when": "1/11 10:00", "place": None, "past": False, "day": "x"}
    replies = await chat.bot.handle(
        session._request(press=ButtonPress("meeting.confirm_year", payload))
    )
    assert "går inte att läsa längre" in replies[0].plain_text()
    # A day that is not the one the words now mean is asked about again, not saved.
    payload["day"] = "2027-11-02"
    replies = await chat.bot.handle(
        session._request(press=ButtonPress("meeting.confirm_year", payload))
    )
    assert "Menar du måndag 1 november 2027?" in replies[0].plain_text()
    assert await meetings(chat) == []


async def test_a_commitments_due_day_is_read_and_shown_with_its_weekday(
    chat: Chat, thursday: FixedClock
) -> None:
    await chat.text(
        "Veronica Gustafsson",
        "löfte ny Trygghetsvandring part gemensamt ansvarig Ahmed Karimi senast nästa fredag",
    )
    text = await chat.text("Veronica Gustafsson", "löfte L1")
    assert "Senast: fredag 11 december 2026" in text


async def test_a_series_from_next_monday_until_a_week(chat: Chat, thursday: FixedClock) -> None:
    text = await chat.text(
        "Anna Lindqvist", "möte brå varje måndag 09:00 från nästa måndag till vecka 51"
    )
    assert "2 möten" in text
    assert "måndag 7 december 2026 kl. 09.00" in text and "måndag 14 december 2026" in text
