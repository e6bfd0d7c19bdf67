"""The meetings import as a library: reading minutes, checking every row, writing idempotently."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.common.i18n import catalog
from bot.common.periods import parse_period
from bot.directory.forums import load_forum_index
from bot.meetings.history import meeting_sources_between
from bot.meetings.minutes_csv import (
    ERROR_CODES,
    InvalidMinutesFile,
    parse_minutes,
    read_date,
    read_time,
)
from bot.meetings.minutes_import import MinutesReport, import_minutes
from bot.meetings.representation import representation
from storage.db import Database
from storage.models import Attendance, AuditEvent, Meeting, Person
from tests.conftest import NOW

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HEADER = "forum;datum;tid;plats;namn;organisation;roll"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-meetings-example.csv"


def minutes(*lines: str, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(line.replace(";", delimiter) for line in lines) + "\r\n"
    return text.encode(encoding)


async def run_import(database: Database, data: bytes) -> MinutesReport:
    parsed = parse_minutes(data)
    async with database.transaction() as session:
        return await import_minutes(session, parsed, now=NOW, tz=STOCKHOLM)


async def counts(database: Database) -> tuple[int, int, int, int]:
    """Meetings, attendance, people and audit events: everything an import may change."""
    async with database.sessions() as session:
        values = [
            await session.scalar(select(func.count(model.id)))
            for model in (Meeting, Attendance, Person, AuditEvent)
        ]
    return tuple(int(v or 0) for v in values)  # type: ignore[return-value]


async def errors_of(database: Database, data: bytes) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InvalidMinutesFile) as raised:
        await run_import(database, data)
    return [(e.row, e.column, e.code) for e in raised.value.errors]


def test_every_error_code_has_a_message_in_both_languages() -> None:
    for language in ("sv", "en"):
        missing = [c for c in ERROR_CODES if f"minutes.import.error.{c}" not in catalog(language)]
        assert missing == [], language


def test_dates_and_times_as_excel_writes_them() -> None:
    assert read_date("2024-03-12") == (datetime(2024, 3, 12).date(), "")
    assert read_date("2024-03-12 13:00") == (datetime(2024, 3, 12).date(), "13:00")
    assert read_date("12/3") is None and read_date("2024-02-30") is None
    assert read_time("9.30") == datetime(2024, 1, 1, 9, 30).time()
    assert read_time("kl 13.00") == datetime(2024, 1, 1, 13, 0).time()
    assert read_time("13:00:00") == datetime(2024, 1, 1, 13, 0).time()
    assert read_time("25:00") is None and read_time("13") is None


async def test_the_documented_example_imports_and_twice_changes_nothing(seeded: Database) -> None:
    before = await counts(seeded)
    report = await run_import(seeded, EXAMPLE.read_bytes())
    assert (report.rows, report.meetings_created, report.meetings_found) == (10, 5, 0)
    # Gunnel Ström is in no contact list: she is added, inactive, so her attendance counts.
    assert (report.attendance_added, report.people_created) == (9, 1)
    after = await counts(seeded)
    assert after[:3] == (before[0] + 5, before[1] + 9, before[2] + 1)

    async with seeded.sessions() as session:
        meetings = (await session.scalars(select(Meeting).order_by(Meeting.starts_at))).all()
        imported = [m for m in meetings if m.source == "import"]
        assert len(imported) == 5 and all(m.recorded_afterwards for m in imported)
        first = imported[0]
        assert first.starts_at == datetime(2023, 2, 14, 12, 0, tzinfo=UTC)  # 13:00 in winter
        assert (first.forum.key, first.place) == ("bra", "Kommunhuset, Broby")
        rows = (await session.scalars(select(Attendance))).unique().all()
        assert {r.source for r in rows} == {"import"}
        chair = next(r for r in rows if r.person.name == "Birgitta Holmén")
        assert chair.role == "chair"
        gunnel = await session.scalar(select(Person).where(Person.name == "Gunnel Ström"))
        assert gunnel is not None
        assert (gunnel.active, gunnel.source, gunnel.organization.short_name) == (
            False,
            "minutes",
            "Kommunen",
        )
        broby = next(m for m in imported if m.forum.parent_id is not None)
        assert broby.starts_at == datetime(2023, 3, 8, 8, 30, tzinfo=UTC)

    again = await run_import(seeded, EXAMPLE.read_bytes())
    assert (again.meetings_created, again.meetings_found) == (0, 5)
    assert (again.attendance_added, again.attendance_found, again.people_created) == (0, 9, 0)
    assert await counts(seeded) == after


async def test_imported_meetings_count_in_representation(seeded: Database) -> None:
    await run_import(seeded, EXAMPLE.read_bytes())
    period = parse_period("2023")
    assert period is not None
    async with seeded.sessions() as session:
        index = await load_forum_index(session)
        bra = index.match("brå")
        assert bra is not None
        [figures] = await representation(session, index, [bra], period, STOCKHOLM, NOW)
    by_org = {o.organisation.short_name: o.represented for o in figures.per_org}
    # Brå: four meetings in the file (the group's meeting belongs to the spindle forum).
    assert figures.held == 4
    assert by_org == {"Kommunen": 3, "Polisen": 2}


async def test_attendance_is_added_to_a_meeting_already_recorded(seeded: Database) -> None:
    data = minutes(HEADER, "brå;2024-05-14;13:00;Kommunhuset;Erik Holm;kommun;")
    await run_import(seeded, data)
    more = minutes(
        HEADER,
        "Bra;2024-05-14;13.00;;Erik Holm;Kommunen;",
        "Brå;2024-05-14 13:00;;;Karin Öberg;Polisen;",
    )
    report = await run_import(seeded, more)
    assert (report.meetings_created, report.meetings_found) == (0, 1)
    assert (report.attendance_added, report.attendance_found) == (1, 1)
    async with seeded.sessions() as session:
        assert await session.scalar(select(func.count(Meeting.id))) == 1


async def test_every_bad_row_is_reported_and_nothing_is_saved(seeded: Database) -> None:
    before = await counts(seeded)
    data = minutes(
        HEADER,
        "brå;2024-05-14;13:00;Kommunhuset;Erik Holm;kommun;",
        "Ingetforum;2024-05-14;13:00;;Erik Holm;kommun;",
        "brå;12/3;13:00;;Erik Holm;kommun;",
        "brå;2024-05-15;;;Erik Holm;kommun;",
        "brå;2027-01-12;13:00;;Erik Holm;kommun;",
        "brå;2024-05-14;13:00;Polishuset;Karin Öberg;polisen;",
        "brå;2024-05-14;13:00;;Erik Holm;polisen;",
        "brå;2024-05-14;13:00;;Per 19811218-9876;kommun;",
        "brå;2024-05-14;13:00;;Lena Ek;Rikspolisen;chef",
        "brå;2024-03-31;02:30;;Erik Holm;kommun;",
    )
    assert await errors_of(seeded, data) == [
        (3, "forum", "unknown_forum"),
        (4, "datum", "bad_date"),
        (5, "tid", "missing_time"),
        (6, "datum", "future"),
        (7, "plats", "place_conflict"),
        (8, "namn", "attendee_conflict"),
        (9, "namn", "personnummer"),
        (10, "roll", "unknown_role"),
        (10, "organisation", "unknown_organisation"),
        (11, "tid", "nonexistent_time"),
    ]
    assert await counts(seeded) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(None, "", "empty")]),
        (b"forum;datum;namn\n", [(1, "organisation", "missing_column")]),
        (b"forum;datum;namn;organisation;anteckning\n", [(1, "anteckning", "unknown_column")]),
        (b"forum;datum;namn;organisation\n", [(None, "", "empty")]),
        (b"\x00\x01", [(None, "", "not_text")]),
    ],
)
def test_a_file_that_cannot_be_read(
    data: bytes, expected: list[tuple[int | None, str, str]]
) -> None:
    with pytest.raises(InvalidMinutesFile) as raised:
        parse_minutes(data)
    assert [(e.row, e.column, e.code) for e in raised.value.errors] == expected


async def test_comma_separated_windows_1252_with_english_header(seeded: Database) -> None:
    data = minutes(
        "Forum,Date,Time,Place,Name,Organisation,Role",
        "Spindelgrupp Broby,2024-02-07,09:00,Broby skola,Sara Nilsson,Kommunen,",
        delimiter=",",
        encoding="cp1252",
    )
    report = await run_import(seeded, data)
    assert (report.meetings_created, report.attendance_added, report.people_created) == (1, 1, 0)


async def test_a_namesake_in_another_organisation_is_told_apart(seeded: Database) -> None:
    """Two people called the same: the organisation on the row decides; the same name twice in
    the same organisation is refused rather than guessed."""
    async with seeded.transaction() as session:
        kommun = await session.scalar(select(Person).where(Person.name == "Erik Holm"))
        assert kommun is not None
        polis = await session.scalar(select(Person).where(Person.name == "Karin Öberg"))
        assert polis is not None
        session.add(Person(name="Erik Holm", organization_id=polis.organization_id, roles=[]))
    await run_import(seeded, minutes(HEADER, "brå;2024-05-14;13:00;;Erik Holm;polisen;"))
    async with seeded.sessions() as session:
        row = (await session.scalars(select(Attendance))).unique().one()
        assert (row.person.organization_id, row.organization_id) == (
            polis.organization_id,
            polis.organization_id,
        )
    async with seeded.transaction() as session:
        session.add(Person(name="Erik Holm", organization_id=kommun.organization_id, roles=[]))
    data = minutes(HEADER, "brå;2024-06-14;13:00;;Erik Holm;kommunen;")
    assert await errors_of(seeded, data) == [(2, "namn", "ambiguous_person")]


async def test_the_report_can_tell_imported_meetings_and_missing_attendance(
    seeded: Database,
) -> None:
    await run_import(seeded, EXAMPLE.read_bytes())
    start = datetime(2023, 1, 1, tzinfo=UTC)
    async with seeded.transaction() as session:
        bra = (await load_forum_index(session)).match("brå")
        assert bra is not None
        # One meeting recorded with the bot in the same year, with one attendee.
        held = Meeting(
            forum_id=bra.id,
            starts_at=datetime(2023, 12, 12, 12, 0, tzinfo=UTC),
            created_at=NOW,
        )
        session.add(held)
        await session.flush()
        erik = await session.scalar(select(Person).where(Person.name == "Erik Holm"))
        assert erik is not None
        session.add(
            Attendance(
                meeting_id=held.id,
                person_id=erik.id,
                organization_id=erik.organization_id,
                registered_at=NOW,
            )
        )
    async with seeded.sessions() as session:
        every = await meeting_sources_between(session, start, datetime(2024, 1, 1, tzinfo=UTC))
        only_bra = await meeting_sources_between(
            session, start, datetime(2024, 1, 1, tzinfo=UTC), [bra.id]
        )
    assert len(every) == 6 and len(only_bra) == 5
    assert sum(s.imported for s in every.values()) == 5
    assert [s.source for s in every.values() if not s.imported] == ["bot"]
    # The November meeting's minutes say nothing about who attended.
    missing = [s for s in every.values() if s.attendance_missing]
    assert len(missing) == 1 and missing[0].source == "import"
    assert every[held.id].attendance == 1 and every[held.id].imported_attendance == 0
