"""The quick schema check agrees with Alembic, and says yes only when the answer is plainly yes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from app.cli.main import main
from app.cli.schema_check import is_newest, newest_revision
from storage.db import Database
from storage.migrate import alembic_config, head_revision, upgrade


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    down = script.get_revision(head_revision()).down_revision
    assert isinstance(down, str)
    return down


def test_newest_revision_is_alembics_head() -> None:
    assert newest_revision() == head_revision()


async def test_yes_on_a_database_at_the_newest_revision(database: Database) -> None:
    assert await is_newest(database)


async def test_no_on_an_empty_database(empty_database: Database) -> None:
    assert not await is_newest(empty_database)


async def test_no_on_a_database_one_revision_behind(empty_database: Database) -> None:
    await upgrade(empty_database, _previous_revision())
    assert not await is_newest(empty_database)


def test_a_database_one_revision_behind_is_refused_as_before(cli_database_url: str) -> None:
    async def migrate() -> None:
        database = Database(cli_database_url)
        await upgrade(database, _previous_revision())
        await database.dispose()

    asyncio.run(migrate())
    result = CliRunner().invoke(
        main, ["seed"], env={"DATABASE_URL": cli_database_url, "SAMVERKAN_LOCALE": "sv"}
    )
    assert result.exit_code != 0
    assert f"({_previous_revision()}, men {head_revision()} behövs)" in result.stderr


def _write(folder: Path, name: str, body: str) -> None:
    text = f'"""A migration."""\n\n{body}\n\n\ndef upgrade() -> None:\n    pass\n'
    (folder / name).write_text(text)


def test_a_straight_chain_has_its_last_revision_as_newest(tmp_path: Path) -> None:
    _write(tmp_path, "__init__.py", "")
    _write(tmp_path, "a.py", 'revision = "a"\ndown_revision = None')
    _write(tmp_path, "b.py", 'revision: str = "b"\ndown_revision: str | None = "a"')
    assert newest_revision(tmp_path) == "b"


@pytest.mark.parametrize(
    "second",
    [
        'revision = "b"\ndown_revision = None',  # two heads
        'revision = "b"\ndown_revision = ("a", "c")',  # a merge
        'revision = make_id()\ndown_revision = "a"',  # not a literal
        'down_revision = "a"',  # no revision at all
        'def helper() -> None:\n    pass\n\n\nrevision = "b"\ndown_revision = "a"',  # ids too late
        '"""Text.\ndef not_code"""\nrevision = "b"\ndown_revision = "a"',  # cut in a string
    ],
)
def test_anything_but_a_straight_chain_is_left_to_alembic(tmp_path: Path, second: str) -> None:
    _write(tmp_path, "a.py", 'revision = "a"\ndown_revision = None')
    _write(tmp_path, "b.py", second)
    assert newest_revision(tmp_path) is None
