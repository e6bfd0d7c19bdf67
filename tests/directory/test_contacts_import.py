"""The contacts import as a library: reading the file, checking rows, writing with audit."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.common.i18n import catalog
from bot.directory.contacts_csv import ERROR_CODES, InvalidContactsFile, RowError, parse_contacts
from bot.directory.contacts_import import ImportReport, import_contacts
from storage.db import Database
from storage.models import AuditEvent, ForumMember, Person
from tests.conftest import NOW

HEADER = "namn,titel,organisation,e-post,telefon,forum,roll"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-contacts-example.csv"


def csv_bytes(*lines: str, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"
    return text.encode(encoding)


async def run_import(database: Database, data: bytes) -> ImportReport:
    contacts = parse_contacts(data)
    async with database.transaction() as session:
        return await import_contacts(session, contacts, now=NOW)


async def counts(database: Database) -> tuple[int, int, int]:
    """People, memberships and audit events: what an import may change."""
    async with database.sessions() as session:
        people = await session.scalar(select(func.count(Person.id)))
        members = await session.scalar(select(func.count(ForumMember.id)))
        audit = await session.scalar(select(func.count(AuditEvent.id)))
    return int(people or 0), int(members or 0), int(audit or 0)


async def person_named(database: Database, name: str) -> Person:
    async with database.sessions() as session:
        person = await session.scalar(select(Person).where(Person.name == name))
        assert person is not None, name
        return person


async def memberships_of(database: Database, name: str) -> dict[str, tuple[str, str]]:
    """forum key → (role, source) for the named person."""
    async with database.sessions() as session:
        rows = await session.scalars(select(ForumMember).join(Person).where(Person.name == name))
        return {m.forum.key: (m.role, m.source) for m in rows.unique()}


async def audit_rows(database: Database) -> list[AuditEvent]:
    async with database.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.actor == "samverkan import")
        return list((await session.scalars(query.order_by(AuditEvent.id))).all())


def test_every_error_code_has_a_message_in_both_languages() -> None:
    for language in ("sv", "en"):
        missing = {c for c in ERROR_CODES if f"transfer.import.error.{c}" not in catalog(language)}
        assert missing == set(), language
    with pytest.raises(ValueError):
        RowError(2, "namn", "no_such_code")


# --- reading the file (no database) -----------------------------------------------------------

ASA = "Åsa Öberg,Fältassistent,kommunen,asa.oberg@example.org,070-1,spindelgrupp broby,"


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (csv_bytes(HEADER, ASA), "utf-8", ","),
        (csv_bytes(HEADER, ASA, delimiter=";"), "utf-8", ";"),
        (codecs.BOM_UTF8 + csv_bytes(HEADER, ASA, delimiter=";"), "utf-8-sig", ";"),
        (csv_bytes(HEADER, ASA, delimiter=";", encoding="cp1252"), "windows-1252", ";"),
    ],
    ids=["comma", "semicolon", "bom", "windows-1252"],
)
def test_encoding_and_delimiter_are_detected(data: bytes, encoding: str, delimiter: str) -> None:
    contacts = parse_contacts(data)
    assert (contacts.encoding, contacts.delimiter) == (encoding, delimiter)
    [row] = contacts.rows
    assert row.get("name") == "Åsa Öberg"
    assert row.get("title") == "Fältassistent"
    assert row.get("forum") == "spindelgrupp broby"


def test_an_excel_separator_hint_decides_and_is_not_a_row() -> None:
    contacts = parse_contacts(b"sep=;\r\nnamn;organisation\r\nA, B;polis\r\n")
    assert contacts.delimiter == ";"
    assert [(r.row, r.get("name")) for r in contacts.rows] == [(2, "A, B")]


def test_cp1252_bytes_are_really_not_utf8() -> None:
    data = "Åsa Öberg".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize(
    "header",
    [
        " Namn ; TITEL;Organisation;E-POST;Telefon ;Forum;Roll",
        "Name,Title,Organization,E-mail,Phone,Forum,Role",
        "name,title,organisation,email,phone,forum,role",
        "e post;namn;organisation",
    ],
)
def test_header_is_read_forgivingly(header: str) -> None:
    contacts = parse_contacts((header + "\n").encode())
    assert {"name", "organisation", "email"} <= set(contacts.header)
    assert contacts.rows == []


def test_header_problems_are_all_reported() -> None:
    with pytest.raises(InvalidContactsFile) as caught:
        parse_contacts(b"namn;avdelning;namn;telefon\n")
    errors = {(e.row, e.column, e.code) for e in caught.value.errors}
    assert errors == {
        (1, "avdelning", "unknown_column"),
        (1, "namn", "duplicate_column"),
        (1, "organisation", "missing_column"),
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"\n \n;;\n", "empty"), ("namn".encode("utf-16"), "not_text")],
)
def test_unreadable_files(data: bytes, code: str) -> None:
    with pytest.raises(InvalidContactsFile) as caught:
        parse_contacts(data)
    assert [(e.row, e.code) for e in caught.value.errors] == [(None, code)]


def test_row_numbers_match_excel_and_skip_empty_rows() -> None:
    data = csv_bytes(HEADER, "A,,polis,,,,", ",,,,,,", "", "B,,polis,,,,")
    contacts = parse_contacts(data)
    assert [(r.row, r.get("name")) for r in contacts.rows] == [(2, "A"), (5, "B")]


def test_a_value_outside_the_columns_is_an_error() -> None:
    with pytest.raises(InvalidContactsFile) as caught:
        parse_contacts(csv_bytes("namn,organisation", "A,polis,oops"))
    assert caught.value.errors == [RowError(2, "", "extra_cells", {"value": "oops"})]


# --- importing (SQLite and PostgreSQL) -----------------------------------------------------------


async def test_import_creates_people_memberships_and_audit(seeded: Database) -> None:
    before = await counts(seeded)
    report = await run_import(
        seeded,
        csv_bytes(
            HEADER,
            "Åsa Öberg,Fältassistent,Kommunen,Asa.Oberg@example.org,070-1,Spindelgrupp Broby,"
            "representant",
            "Åsa Öberg,,kommunen,asa.oberg@example.org,,spindel knislinge,ersättare",
            "Per Lund,Polisinspektör,Polisen,,,brå,",
            "Per Lund,,polis,,,tillsyn,ordförande",
        ),
    )
    assert report == ImportReport(rows=4, created=2, memberships_added=4)
    asa = await person_named(seeded, "Åsa Öberg")
    assert (asa.title, asa.email, asa.phone, asa.source) == (
        "Fältassistent",
        "asa.oberg@example.org",
        "070-1",
        "import",
    )
    assert asa.organization.key == "kommun"
    assert (await person_named(seeded, "Per Lund")).organization.key == "polis"
    assert await memberships_of(seeded, "Åsa Öberg") == {
        "spindel.broby": ("representative", "import"),
        "spindel.knislinge": ("deputy", "import"),
    }
    assert await memberships_of(seeded, "Per Lund") == {
        "bra": ("representative", "import"),
        "tillsyn": ("chair", "import"),
    }
    people, members, audit = await counts(seeded)
    assert (people, members, audit) == (before[0] + 2, before[1] + 4, before[2] + 6)
    events = await audit_rows(seeded)
    assert {(e.platform, e.action, e.entity_type) for e in events} == {
        ("cli", "person.create", "person"),
        ("cli", "member.set", "forum_member"),
    }
    created = next(e for e in events if e.entity_type == "person" and e.entity_id == str(asa.id))
    assert created.before is None
    assert created.after is not None
    assert created.after["name"] == "Åsa Öberg"
    assert created.after["organization_id"] == asa.organization_id
    deputy = next(e for e in events if e.entity_id == f"spindel.knislinge:{asa.id}")
    assert (deputy.before, deputy.after) == (None, {"role": "deputy"})
    assert all(e.at == NOW for e in events)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("kommunen", "kommun"),
        ("Kommun", "kommun"),
        ("Östra Göinge kommun", "kommun"),
        ("östra göinge", "kommun"),
        ("Polisen", "polis"),
        ("polis", "polis"),
        ("POLICE", "polis"),
        ("Lokalpolisområde Hässleholm", "polis"),
    ],
)
async def test_organisation_is_matched_forgivingly(
    seeded: Database, written: str, key: str
) -> None:
    await run_import(seeded, csv_bytes("namn,organisation", f"Ny Person,{written}"))
    assert (await person_named(seeded, "Ny Person")).organization.key == key


async def test_existing_people_are_updated_by_email_then_name(seeded: Database) -> None:
    report = await run_import(
        seeded,
        csv_bytes(
            HEADER,
            "Erik Holm,Kommunikationschef,kommunen,ERIK.HOLM@example.org,,,",
            "veronica  gustafsson,,polisen,veronica.gustafsson@example.org,070-9,,",
            "Sara Nilsson,Fritidsledare,kommunen,sara.nilsson@example.org,070-174 06 07,,",
        ),
    )
    assert report == ImportReport(rows=3, created=0, updated=2, unchanged=1)
    erik = await person_named(seeded, "Erik Holm")
    assert (erik.title, erik.phone, erik.source) == ("Kommunikationschef", "+46701740606", "seed")
    veronica = await person_named(seeded, "Veronica Gustafsson")
    assert (veronica.email, veronica.phone) == ("veronica.gustafsson@example.org", "070-9")
    events = {e.entity_id: e for e in await audit_rows(seeded)}
    assert len(events) == 2
    assert {e.action for e in events.values()} == {"person.update"}
    assert changes(events[str(erik.id)]) == {"title": ("Kommunikatör", "Kommunikationschef")}
    assert changes(events[str(veronica.id)]) == {
        "email": (None, "veronica.gustafsson@example.org"),
        "phone": (None, "070-9"),
    }


def changes(event: AuditEvent) -> dict[str, tuple[object, object]]:
    """What an update changed, from its before and after snapshots."""
    before, after = event.before or {}, event.after or {}
    return {k: (before.get(k), after[k]) for k in after if before.get(k) != after[k]}


async def test_a_removed_person_in_the_file_is_active_again(seeded: Database) -> None:
    async with seeded.transaction() as session:
        erik = await session.scalar(select(Person).where(Person.name == "Erik Holm"))
        assert erik is not None
        erik.active = False
    report = await run_import(
        seeded, csv_bytes("namn,organisation,e-post", "Erik Holm,kommunen,erik.holm@example.org")
    )
    assert (report.created, report.updated) == (0, 1)
    assert (await person_named(seeded, "Erik Holm")).active
    [event] = await audit_rows(seeded)
    assert changes(event) == {"active": (False, True)}


async def test_someone_with_another_email_is_a_different_person(seeded: Database) -> None:
    report = await run_import(
        seeded, csv_bytes("namn,organisation,e-post", "Erik Holm,polis,erik.holm@polisen.example")
    )
    assert report.created == 1
    async with seeded.sessions() as session:
        eriks = (await session.scalars(select(Person).where(Person.name == "Erik Holm"))).all()
    assert sorted(p.email or "" for p in eriks) == [
        "erik.holm@example.org",
        "erik.holm@polisen.example",
    ]


async def test_a_changed_role_updates_the_membership(seeded: Database) -> None:
    assert (await memberships_of(seeded, "Anna Lindqvist"))["bra"] == ("secretary", "seed")
    report = await run_import(
        seeded,
        csv_bytes(
            "namn;organisation;e-post;forum;roll",
            "Anna Lindqvist;kommunen;anna.lindqvist@example.org;Brå;Ordförande",
            delimiter=";",
        ),
    )
    assert (report.memberships_changed, report.memberships_added, report.unchanged) == (1, 0, 1)
    assert (await memberships_of(seeded, "Anna Lindqvist"))["bra"] == ("chair", "import")
    [event] = await audit_rows(seeded)
    anna = await person_named(seeded, "Anna Lindqvist")
    assert (event.action, event.entity_id) == ("member.set", f"bra:{anna.id}")
    assert (event.before, event.after) == ({"role": "secretary"}, {"role": "chair"})


async def test_one_bad_row_writes_nothing(seeded: Database) -> None:
    before = await counts(seeded)
    with pytest.raises(InvalidContactsFile) as caught:
        await run_import(
            seeded,
            csv_bytes(
                HEADER,
                "Åsa Öberg,Fältassistent,kommunen,asa.oberg@example.org,,brå,",
                "Per Lund,,polisen,per.lund@,,,",
                "Erik Holm,Kommunikationschef,kommunen,erik.holm@example.org,,,",
            ),
        )
    assert caught.value.errors == [RowError(3, "e-post", "bad_email", {"value": "per.lund@"})]
    assert await counts(seeded) == before
    assert (await person_named(seeded, "Erik Holm")).title == "Kommunikatör"


async def test_every_problem_is_reported_with_row_and_column(seeded: Database) -> None:
    data = csv_bytes(
        "Name,Title,Organisation,Email,Phone,Forum,Role",
        ",,polis,,,,",
        "A,,kommunpolis,,,,",
        "B,,polis,,,fotboll,",
        "C,,polis,,,brå,chef",
        "D,,polis,,,,deputy",
        "E,,,,,,",
        "F," + "x" * 201 + ",polis,,,,",
        "G,,polis,,ring mig,,",
    )
    with pytest.raises(InvalidContactsFile) as caught:
        await run_import(seeded, data)
    found = [(e.row, e.column, e.code) for e in caught.value.errors]
    assert found == [
        (2, "Name", "missing_name"),
        (3, "Organisation", "unknown_organisation"),
        (4, "Forum", "unknown_forum"),
        (5, "Role", "unknown_role"),
        (6, "Forum", "role_without_forum"),
        (7, "Organisation", "missing_organisation"),
        (8, "Title", "too_long"),
        (9, "Phone", "bad_phone"),
    ]
    unknown_org = caught.value.errors[1]
    assert unknown_org.values == {"value": "kommunpolis", "known": "Kommunen, Polisen"}


async def test_rows_for_one_person_must_agree(seeded: Database) -> None:
    with pytest.raises(InvalidContactsFile) as caught:
        await run_import(
            seeded,
            csv_bytes(
                HEADER,
                "Åsa Öberg,,kommunen,asa.oberg@example.org,070-1,brå,",
                "Åsa Öberg,,kommunen,,070-2,tillsyn,",
                "Åsa Öberg,,polisen,asa.oberg@example.org,,brå,ersättare",
            ),
        )
    found = [(e.row, e.column, e.code, e.values) for e in caught.value.errors]
    assert found == [
        (3, "telefon", "conflict", {"other_row": 2}),
        (4, "organisation", "conflict", {"other_row": 2}),
        (4, "roll", "conflict", {"other_row": 2}),
    ]


async def test_a_name_shared_by_two_people_needs_an_email(seeded: Database) -> None:
    await run_import(
        seeded,
        csv_bytes(
            "namn,organisation,e-post",
            "Per Lund,kommunen,per.lund@example.org",
            "Per Lund,polisen,per.lund2@example.org",
        ),
    )
    with pytest.raises(InvalidContactsFile) as caught:
        await run_import(
            seeded, csv_bytes("namn,organisation,telefon", "Per Lund,polisen,070-174 06 30")
        )
    assert [(e.row, e.code) for e in caught.value.errors] == [(2, "ambiguous_person")]


async def test_an_active_person_wins_over_a_removed_namesake(seeded: Database) -> None:
    async with seeded.transaction() as session:
        organisation_id = (await person_named(seeded, "Erik Holm")).organization_id
        session.add(Person(name="Erik Holm", organization_id=organisation_id, active=False))
    report = await run_import(
        seeded, csv_bytes("namn,organisation,telefon", "Erik Holm,kommun,070-99 99 99")
    )
    assert (report.created, report.updated) == (0, 1)
    async with seeded.sessions() as session:
        eriks = (await session.scalars(select(Person).where(Person.name == "Erik Holm"))).all()
    assert sorted((p.active, p.phone or "") for p in eriks) == [(False, ""), (True, "+4670999999")]


async def test_reimport_changes_nothing(seeded: Database) -> None:
    data = csv_bytes(
        HEADER,
        "Åsa Öberg,Fältassistent,kommunen,asa.oberg@example.org,070-1,spindelgrupp broby,",
        "Lars Persson,Alkoholhandläggare,kommunen,lars.persson@example.org,,brå,ersättare",
    )
    first = await run_import(seeded, data)
    assert (first.created, first.updated, first.memberships_added) == (1, 1, 2)
    after_first = await counts(seeded)
    second = await run_import(seeded, data)
    assert second == ImportReport(rows=2, created=0, updated=0, unchanged=2)
    assert await counts(seeded) == after_first


async def test_the_documented_example_imports(seeded: Database) -> None:
    report = await run_import(seeded, EXAMPLE.read_bytes())
    assert report == ImportReport(rows=5, created=3, unchanged=1, memberships_added=4)
    assert await memberships_of(seeded, "Karin Sjö") == {"tillsyn": ("representative", "import")}
