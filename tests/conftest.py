"""Shared fixtures: every data test runs on SQLite and on PostgreSQL.

PostgreSQL: one database per test run (`samverkan_test_<random>`), created from the server at
SAMVERKAN_TEST_POSTGRES (default 127.0.0.1:5432, user postgres) and dropped at the end, so
parallel runs never collide; tables are emptied between tests. When the server cannot be
reached the PostgreSQL half is skipped locally, and fails under CI=true.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from adapters.console import ConsoleMessenger, ConsoleSession, find_person
from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.clock import FixedClock
from bot.common.config import BUNDLED_AGREEMENT, Settings
from bot.core.engine import Bot
from bot.core.reply import Reply
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

# The accessibility checks' hooks: the gates run last, over every payload (tests/a11y/plugin.py),
# and `axe_page`, the WCAG 2.1 AA check any test can run on an HTML page (tests/a11y/axe.py).
from tests.a11y.axe import axe_page  # noqa: F401
from tests.a11y.plugin import (  # noqa: F401
    pytest_collection_modifyitems,
    pytest_deselected,
    pytest_sessionfinish,
)

PG_SERVER = os.environ.get("SAMVERKAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run setup work on a private event loop in a thread, whatever loop the caller is in."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_SERVER, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped when the run ends."""
    name = f"samverkan_test_{secrets.token_hex(6)}"
    try:
        _run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        message = f"PostgreSQL at {PG_SERVER} is not reachable: {error}"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)  # PostgreSQL unreachable on a developer machine: CI fails above
    base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    yield f"{base}/{name}"
    _run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> str:
    async def migrate() -> None:
        database = Database(postgres_url)
        await upgrade(database)
        await database.dispose()

    _run(migrate())
    return postgres_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies, so migrations run once per session."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def migrate() -> None:
        database = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade(database)
        await database.dispose()

    _run(migrate())
    return path


async def _empty_all_tables(database: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        # The one row migration 0007 creates, which the bot reads on every directory question.
        await connection.execute(text("INSERT INTO directory_version (id, version) VALUES (1, 1)"))


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[Database]:
    """A migrated, empty database: SQLite file or the run's PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite+aiosqlite:///{path}")
        yield db
        await db.dispose()
    else:
        db = Database(request.getfixturevalue("migrated_postgres"))
        yield db
        await _empty_all_tables(db)
        await db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no schema at all, for migration tests."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
        yield db
        await db.dispose()
        return
    server_url = request.getfixturevalue("postgres_url")
    name = f"samverkan_empty_{secrets.token_hex(6)}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    db = Database(server_url.rsplit("/", 1)[0] + f"/{name}")
    yield db
    await db.dispose()
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(DATABASE_URL="sqlite+aiosqlite://", SAMVERKAN_LOCALE="sv")  # type: ignore[call-arg]


@pytest.fixture
async def seeded(database: Database) -> Database:
    """The bundled Östra Göinge agreement with its demo staff, loaded."""
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    async with database.transaction() as session:
        await seed(session, spec, now=NOW)
    return database


@pytest.fixture
def bot(seeded: Database, settings: Settings, clock: FixedClock) -> Bot:
    bot = Bot(seeded, settings, clock)
    bot.messengers["console"] = ConsoleMessenger()
    return bot


class Chat:
    """Talk to the bot as a named person through the terminal adapter, as staff would."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.sessions: dict[tuple[str, str], ConsoleSession] = {}

    async def session(self, name: str, channel: str = "terminal") -> ConsoleSession:
        key = (name, channel)
        if key not in self.sessions:
            person = await find_person(self.bot.database, name)
            self.sessions[key] = ConsoleSession(self.bot, person, channel=channel)
        return self.sessions[key]

    async def ask(self, name: str, message: str, channel: str = "terminal") -> list[Reply]:
        return await (await self.session(name, channel)).say(message)

    async def text(self, name: str, message: str, channel: str = "terminal") -> str:
        return "\n".join(r.plain_text() for r in await self.ask(name, message, channel))


@pytest.fixture
def chat(bot: Bot) -> Chat:
    return Chat(bot)


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for command-line tests, which run their own event loop."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
        return
    server_url = request.getfixturevalue("postgres_url")
    name = f"samverkan_cli_{secrets.token_hex(6)}"
    _run(_pg_admin(f'CREATE DATABASE "{name}"'))
    yield server_url.rsplit("/", 1)[0] + f"/{name}"
    _run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
