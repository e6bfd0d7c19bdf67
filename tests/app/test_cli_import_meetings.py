"""`samverkan import meetings` run for real through click: dry run, import, again, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent
from tests.app.test_cli_transfer import cli
from tests.meetings.test_minutes_import import EXAMPLE, counts


@pytest.fixture
def env(database: Database) -> dict[str, str]:
    """The CLI's settings, pointing at this test's database."""
    return {"DATABASE_URL": database.url, "SAMVERKAN_LOCALE": "sv"}


def _file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "moten.csv"
    path.write_bytes(data)
    return str(path)


async def test_dry_run_then_import_then_again(
    seeded: Database,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    path = _file(tmp_path, EXAMPLE.read_bytes())
    before = await counts(seeded)

    checked = await cli(env, "import", "meetings", path, "--dry-run")
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.strip() == (
        "moten.csv har inga fel. Inget har sparats (--dry-run). Om du importerar blir det: "
        "10 rader; möten: 5 nya, 0 finns redan (0 får en plats); närvaro: 9 nya, 0 finns redan; "
        "personer som bara finns i protokollen: 1 nya."
    )
    assert await counts(seeded) == before

    done = await cli(env, "import", "meetings", path)
    assert done.exit_code == 0, done.stderr
    assert "Möten: 5 nya, 0 fanns redan" in done.stdout
    after = await counts(seeded)
    assert after[0] == before[0] + 5
    async with seeded.sessions() as session:
        actors = set(
            (await session.scalars(select(AuditEvent.actor).where(AuditEvent.id > before[3]))).all()
        )
    assert actors == {"samverkan import meetings"}

    again = await cli(env, "import", "meetings", path)
    assert again.exit_code == 0, again.stderr
    assert "Möten: 0 nya, 5 fanns redan" in again.stdout
    assert "Närvaro: 0 nya, 9 fanns redan" in again.stdout
    assert await counts(seeded) == after


async def test_row_errors_in_swedish_and_nothing_saved(
    seeded: Database,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    before = await counts(seeded)
    data = (
        "forum;datum;tid;plats;namn;organisation;roll\n"
        "brå;2024-05-14;13:00;;Erik Holm;kommun;\n"
        "brå;12/3;13:00;;Erik Holm;kommun;\n"
    ).encode()
    result = await cli(env, "import", "meetings", _file(tmp_path, data), "--dry-run")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-2:] == [
        "moten.csv, rad 3, kolumn ”datum”: ”12/3” är inget datum. Skriv datumet som 2024-03-12.",
        "samverkan: Inget har sparats. Antal fel i moten.csv: 1. "
        "Rätta filen och kör kommandot igen.",
    ]
    result = await cli(env, "import", "meetings", _file(tmp_path, data))
    assert result.exit_code == 1
    assert await counts(seeded) == before


async def test_errors_in_english_when_asked(
    seeded: Database,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    data = b"forum,date,time,name,organisation\nbra,2024-05-14,13:00,Per Lund,Rikspolisen\n"
    english = {**env, "SAMVERKAN_LOCALE": "en"}
    result = await cli(english, "import", "meetings", _file(tmp_path, data))
    assert result.exit_code == 1
    assert (
        "moten.csv, row 2, column “organisation”: There is no organisation “Rikspolisen”"
        in result.stderr
    )
    assert "Nothing was saved." in result.stderr
