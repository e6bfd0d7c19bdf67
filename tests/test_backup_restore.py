"""Backups restore to a database that gives the same answers.

SQLite: `samverkan backup FILE` (SQLite's online backup API). PostgreSQL: `pg_dump` and
`pg_restore`, as docs/operations.md tells the IT department, where the binaries exist. Each
test asks the bot real questions through the command line before the backup and of the
restored database, and changes the original after the backup so that a copy that merely
followed the live database would be caught.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli.main import main
from tests.conftest import PG_SERVER, _pg_admin, _run

ADMIN = "Anna Lindqvist"
QUESTIONS = [
    ("Veronica Gustafsson", "kontakter brå"),
    ("Sara Nilsson", "forum"),
    (ADMIN, "vem Eva Strand"),
    (ADMIN, "påminnelser"),
    ("Sara Nilsson", "överenskommelse"),
]


def cli(url: str, *args: str) -> Result:
    env = {"DATABASE_URL": url, "SAMVERKAN_LOCALE": "sv"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def prepare(url: str) -> None:
    """A database in use: migrated, seeded, a person added and a reminder set through the bot."""
    ok(cli(url, "db", "upgrade"))
    ok(cli(url, "seed"))
    ok(cli(url, "say", "--as", ADMIN, "person ny Eva Strand, organisation: polis"))
    ok(cli(url, "say", "--as", ADMIN, "påminn mig i morgon 09:00 ring kommunpolisen"))


def answers(url: str) -> list[str]:
    return [ok(cli(url, "say", "--as", who, question)) for who, question in QUESTIONS]


def change_after_backup(url: str) -> None:
    ok(cli(url, "say", "--as", ADMIN, "person ta bort Eva Strand"))


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_an_sqlite_backup_restores_to_the_same_answers(tmp_path: Path) -> None:
    live = sqlite_url(tmp_path / "live.sqlite3")
    prepare(live)
    before = answers(live)
    assert "Eva Strand" in before[2]

    done = ok(cli(live, "backup", str(tmp_path / "backups" / "night.sqlite3")))
    change_after_backup(live)
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(tmp_path / "backups" / "night.sqlite3", restored)  # the documented restore

    assert "Säkerhetskopian är skriven" in done
    assert answers(sqlite_url(restored)) == before
    assert answers(live) != before  # the original moved on; the copy did not follow it


def test_the_backup_holds_only_what_was_committed_while_a_writer_works(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    ok(cli(sqlite_url(path), "db", "upgrade"))
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE half_done (x INTEGER)")
        ok(cli(sqlite_url(path), "backup", str(tmp_path / "copy.sqlite3")))
        writer.execute("COMMIT")
    finally:
        writer.close()

    def tables(database: Path) -> set[str]:
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {name for (name,) in rows}

    assert "half_done" in tables(path)
    assert "half_done" not in tables(tmp_path / "copy.sqlite3")
    assert "alembic_version" in tables(tmp_path / "copy.sqlite3")


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    live = sqlite_url(tmp_path / "live.sqlite3")
    ok(cli(live, "db", "upgrade"))
    target = tmp_path / "copy.sqlite3"
    target.write_text("yesterday's copy")

    refused = cli(live, "backup", str(target))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert target.read_text() == "yesterday's copy"

    ok(cli(live, "backup", "--force", str(target)))
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)

    itself = cli(live, "backup", "--force", str(tmp_path / "live.sqlite3"))
    assert itself.exit_code == 2


def test_postgresql_is_refused_in_one_line_with_the_pg_dump_hint(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://samverkan:hemligt@127.0.0.1:1/samverkan"
    result = cli(url, "backup", str(tmp_path / "night.sqlite3"))

    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "pg_dump" in line and "samverkan" in line
    assert "Traceback" not in result.stderr and "hemligt" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_database_in_memory_is_refused(tmp_path: Path) -> None:
    result = cli("sqlite+aiosqlite://", "backup", str(tmp_path / "x.sqlite3"))

    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


@pytest.fixture
def postgres_pair(postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two new databases on the test server: the one in use and the one restored into."""
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed on this machine")
    names = [f"samverkan_{role}_{secrets.token_hex(5)}" for role in ("live", "restored")]
    for name in names:
        _run(_pg_admin(f'CREATE DATABASE "{name}"'))
    base = postgres_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            _run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _libpq(url: str) -> str:
    """The same database as libpq's tools name it (no SQLAlchemy driver in the scheme)."""
    server = PG_SERVER.rsplit("/", 1)[0]
    return f"{server}/{url.rsplit('/', 1)[1]}"


def test_a_pg_dump_restores_to_the_same_answers(
    postgres_pair: tuple[str, str], tmp_path: Path
) -> None:
    live, restored = postgres_pair
    prepare(live)
    before = answers(live)
    dump = tmp_path / "samverkan.dump"

    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", _libpq(live)], check=True, timeout=300
    )
    change_after_backup(live)
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={_libpq(restored)}", str(dump)],
        check=True,
        timeout=300,
    )

    assert answers(restored) == before
    assert answers(live) != before
    # The restored database is ready for the bot: no migration is pending.
    assert "revision" in ok(cli(restored, "db", "upgrade"))
