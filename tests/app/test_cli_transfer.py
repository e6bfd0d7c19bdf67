"""`samverkan import contacts` and `samverkan export audit` run for real through click.

CliRunner calls asyncio.run, so each invocation runs in a thread of its own while the test's
loop waits; the CLI finds the fixture's database through DATABASE_URL, as in production.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from app.cli.main import main
from bot.agreement.audit_export import FIELDS, utc_bounds
from storage.audit import Actor, record
from storage.db import Database
from storage.models import ForumMember, Person
from tests.directory.test_contacts_import import counts

HEADER = "namn,titel,organisation,e-post,telefon,forum,roll"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def env(database: Database) -> dict[str, str]:
    """The environment the CLI reads its settings from, pointing at this test's database."""
    return {"DATABASE_URL": database.url, "SAMVERKAN_LOCALE": "sv"}


async def cli(env: dict[str, str], *args: str) -> Result:
    def invoke() -> Result:
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return await asyncio.to_thread(invoke)


def contacts_file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "kontakter.csv"
    path.write_bytes(data)
    return str(path)


def test_help_lists_import_and_export() -> None:
    result = CliRunner().invoke(main, ["--help"])
    # Compare without the column padding, which grows with the longest command name.
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert "import Import contacts or past meetings from a CSV file." in lines
    assert any(line.startswith("export Export records for the registrar") for line in lines)


# --- import -----------------------------------------------------------------------------------

ROWS = [
    HEADER,
    "Åsa Öberg,Fältassistent,Kommunen,asa.oberg@example.org,070-1,Spindelgrupp Broby,ersättare",
    "Åsa Öberg,,Kommunen,asa.oberg@example.org,,Brå,",
]


def encoded(delimiter: str, encoding: str, bom: bool = False) -> bytes:
    text = "\r\n".join(row.replace(",", delimiter) for row in ROWS) + "\r\n"
    return (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(
    "data",
    [
        encoded(",", "utf-8"),
        encoded(";", "utf-8"),
        encoded(";", "utf-8", bom=True),
        encoded(";", "cp1252"),
    ],
    ids=["comma", "semicolon", "utf8-bom", "windows-1252"],
)
async def test_import_contacts_from_excel_files(
    seeded: Database, env: dict[str, str], tmp_path: Path, data: bytes
) -> None:
    path = contacts_file(tmp_path, data)
    result = await cli(env, "import", "contacts", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        "kontakter.csv: 2 rader inlästa. Personer: 1 nya, 0 uppdaterade, 0 oförändrade. "
        "Forumuppdrag: 2 nya, 0 ändrade."
    )
    assert "Läser in kontakter" in result.stderr
    async with seeded.sessions() as session:
        asa = await session.scalar(select(Person).where(Person.email == "asa.oberg@example.org"))
        assert asa is not None
        assert (asa.name, asa.title, asa.source) == ("Åsa Öberg", "Fältassistent", "import")
        roles = await session.scalars(
            select(ForumMember.role).where(ForumMember.person_id == asa.id)
        )
        assert sorted(roles) == ["deputy", "representative"]

    again = await cli(env, "import", "contacts", path)
    assert again.exit_code == 0, again.stderr
    assert "Personer: 0 nya, 0 uppdaterade, 1 oförändrade. Forumuppdrag: 0 nya" in again.stdout


async def test_a_bad_row_is_reported_and_nothing_is_saved(
    seeded: Database, env: dict[str, str], tmp_path: Path
) -> None:
    before = await counts(seeded)
    rows = [*ROWS, "Per Lund,,Polisen,per.lund@,,brå,", "Karin Sjö,,kommunen,,,tillsyn,chef"]
    path = contacts_file(tmp_path, "\n".join(rows).encode())
    result = await cli(env, "import", "contacts", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-3:] == [
        "kontakter.csv, rad 4, kolumn ”e-post”: ”per.lund@” är inte en giltig e-postadress.",
        "kontakter.csv, rad 5, kolumn ”roll”: Rollen ”chef” finns inte. Skriv representant, "
        "ersättare, ordförande eller sekreterare.",
        "samverkan: Inget har sparats. Antal fel i kontakter.csv: 2. "
        "Rätta filen och kör kommandot igen.",
    ]
    assert await counts(seeded) == before


async def test_errors_in_english_when_the_locale_is_english(
    seeded: Database, env: dict[str, str], tmp_path: Path
) -> None:
    path = contacts_file(tmp_path, b"namn;organisation\nPer Lund;Rikspolisen\n")
    result = await cli({**env, "SAMVERKAN_LOCALE": "en-GB"}, "import", "contacts", path)
    assert result.exit_code == 1
    assert (
        "kontakter.csv, row 2, column “organisation”: There is no organisation “Rikspolisen”"
        in result.stderr
    )
    assert "Nothing was saved." in result.stderr


async def test_a_bad_header_is_reported_before_the_database_is_asked(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = contacts_file(tmp_path, b"namn;avdelning\n")
    result = await cli(env, "import", "contacts", path)
    assert result.exit_code == 1
    assert "kontakter.csv, rad 1, kolumn ”avdelning”: Okänd kolumn." in result.stderr
    assert "kolumn ”organisation”: Kolumnen saknas." in result.stderr


async def test_dry_run_checks_but_saves_nothing(
    seeded: Database, env: dict[str, str], tmp_path: Path
) -> None:
    before = await counts(seeded)
    path = contacts_file(tmp_path, encoded(";", "utf-8"))
    result = await cli(env, "import", "contacts", "--dry-run", path)
    assert result.exit_code == 0, result.stderr
    assert "kontakter.csv har inga fel. Inget har sparats" in result.stdout
    assert "personer: 1 nya" in result.stdout
    assert await counts(seeded) == before


async def test_a_missing_file_is_an_error(env: dict[str, str], tmp_path: Path) -> None:
    result = await cli(env, "import", "contacts", str(tmp_path / "finns-inte.csv"))
    assert result.exit_code == 1
    assert "Det går inte att läsa filen" in result.stderr


async def test_imported_changes_are_in_the_exported_audit_log(
    seeded: Database, env: dict[str, str], tmp_path: Path
) -> None:
    path = contacts_file(tmp_path, encoded(",", "utf-8"))
    assert (await cli(env, "import", "contacts", path)).exit_code == 0
    today = datetime.now(STOCKHOLM).date()
    span = ("--from", str(today - timedelta(days=1)), "--to", str(today + timedelta(days=1)))
    result = await cli(env, "export", "audit", *span, "--format", "json")
    assert result.exit_code == 0, result.stderr
    imported = [e for e in json.loads(result.stdout) if e["actor"] == "samverkan import"]
    assert sorted((e["action"], e["entity_type"]) for e in imported) == [
        ("member.set", "forum_member"),
        ("member.set", "forum_member"),
        ("person.create", "person"),
    ]
    assert all(e["platform"] == "cli" for e in imported)


# --- export -----------------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (UTC time, in the November export?) – Stockholm is UTC+1 in November.
MOMENTS = [
    ("2026-11-30T22:59:59.500000", True),  # 23:59:59.5 on the last day
    ("2026-10-31T22:59:59", False),  # 23:59:59 the day before the first
    ("2026-11-15T12:00:00", True),
    ("2026-10-31T23:00:00", True),  # midnight starting the first day
    ("2026-11-30T23:00:00", False),  # midnight after the last day
]


async def add_events(database: Database) -> list[dict[str, Any]]:
    """Audit events around the bounds, stored out of time order; the expected export records."""
    expected: list[tuple[datetime, dict[str, Any]]] = []
    async with database.transaction() as session:
        for number, (moment, inside) in enumerate(MOMENTS):
            actor = (
                Actor(label='Öberg, "Åsa"', platform="slack")
                if number == 2
                else Actor(label="samverkan seed", platform="cli")
            )
            before = {"title": "Fältassistent", "forums": ["brå", "tillsyn"]} if number else None
            event = record(
                session,
                actor=actor,
                at=at(moment),
                action="person.update",
                entity_type="person",
                entity_id=number + 1,
                before=before,
                after={"title": "Fältsekreterare\nny rad", "n": number},
            )
            await session.flush()
            if inside:
                expected.append(
                    (
                        at(moment),
                        {
                            "id": event.id,
                            "at": moment + ("Z" if "." in moment else ".000000Z"),
                            "actor": actor.label,
                            "platform": actor.platform,
                            "action": "person.update",
                            "entity_type": "person",
                            "entity_id": str(number + 1),
                            "before": before,
                            "after": {"title": "Fältsekreterare\nny rad", "n": number},
                        },
                    )
                )
    return [record for _moment, record in sorted(expected, key=lambda pair: pair[0])]


NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


async def test_export_json_to_stdout(database: Database, env: dict[str, str]) -> None:
    expected = await add_events(database)
    result = await cli(env, "export", "audit", *NOVEMBER, "--format", "json")
    assert result.exit_code == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported == expected
    assert [list(item) for item in exported] == [list(FIELDS)] * 3
    assert result.stderr.splitlines()[-1] == (
        "Händelser exporterade: 3, från 2026-11-01 till och med 2026-11-30, "
        "som JSON till standard ut (stdout)."
    )


async def test_export_csv_to_a_file(
    database: Database, env: dict[str, str], tmp_path: Path
) -> None:
    expected = await add_events(database)
    target = tmp_path / "logg.csv"
    result = await cli(env, "export", "audit", *NOVEMBER, "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        f"Händelser exporterade: 3, från 2026-11-01 till och med 2026-11-30, som CSV till {target}."
    )
    data = target.read_bytes()
    assert data.startswith(b"id,at,actor,platform,action,entity_type,entity_id,before,after\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    parsed = [
        {
            **row,
            "id": int(row["id"]),
            "before": json.loads(row["before"]) if row["before"] else None,
            "after": json.loads(row["after"]) if row["after"] else None,
        }
        for row in rows
    ]
    assert parsed == expected
    assert rows[1]["actor"] == 'Öberg, "Åsa"'
    assert rows[1]["after"] == '{"n":2,"title":"Fältsekreterare\\nny rad"}'


async def test_an_empty_range_exports_an_empty_list(
    database: Database, env: dict[str, str]
) -> None:
    await add_events(database)
    december = ("--from", "2026-12-02", "--to", "2026-12-31")
    result = await cli(env, "export", "audit", *december)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout_bytes == b"id,at,actor,platform,action,entity_type,entity_id,before,after\r\n"
    )
    json_result = await cli(env, "export", "audit", *december, "--format", "json")
    assert json.loads(json_result.stdout) == []


async def test_export_runs_to_today_without_to(database: Database, env: dict[str, str]) -> None:
    async with database.transaction() as session:
        record(
            session,
            actor=Actor(label="Anna Lindqvist", platform="teams"),
            at=datetime.now(UTC),
            action="channel.bind",
            entity_type="channel",
            entity_id="teams::19:abc",
        )
    yesterday = datetime.now(STOCKHOLM).date() - timedelta(days=1)
    result = await cli(env, "export", "audit", "--from", str(yesterday), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [e["entity_id"] for e in json.loads(result.stdout)] == ["teams::19:abc"]


async def test_export_refuses_a_backwards_range(env: dict[str, str]) -> None:
    result = await cli(env, "export", "audit", "--from", "2026-11-30", "--to", "2026-11-01")
    assert result.exit_code == 1
    assert "Startdagen 2026-11-30 är efter slutdagen 2026-11-01." in result.stderr


@pytest.mark.parametrize(
    "command", [("import", "contacts"), ("export", "audit", "--from", "2026-11-01")]
)
async def test_a_database_without_schema_gets_a_clear_message(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = contacts_file(tmp_path, encoded(",", "utf-8"))
    args = (*command, path) if command[0] == "import" else command
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}"}
    result = await cli(env, *args)
    assert result.exit_code == 1
    assert "Kör `samverkan db upgrade` först." in result.stderr
    assert "Traceback" not in result.stderr


def test_day_bounds_follow_swedish_summer_time() -> None:
    summer_end = utc_bounds(datetime(2026, 10, 25).date(), datetime(2026, 10, 25).date(), STOCKHOLM)
    assert summer_end == (at("2026-10-24T22:00:00"), at("2026-10-25T23:00:00"))
    summer_start = utc_bounds(datetime(2026, 3, 29).date(), datetime(2026, 3, 29).date(), STOCKHOLM)
    assert summer_start == (at("2026-03-28T23:00:00"), at("2026-03-29T22:00:00"))
