"""Engine and session factory for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# The URL forms the bot runs on: the async drivers it is tested with.
DRIVER_FORMS = ("postgresql+asyncpg", "sqlite+aiosqlite")
# What an admin is likely to paste (from a PostgreSQL or Heroku-style guide) and what it means.
_SHORT_FORMS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def async_url(url: str) -> str:
    """`postgres://`, `postgresql://` and `sqlite:///` URLs with the async driver named.

    Anything else is returned as it is, for the configuration check to name the forms it takes.
    """
    scheme, separator, rest = url.partition("://")
    if separator and scheme.lower() in _SHORT_FORMS:
        return f"{_SHORT_FORMS[scheme.lower()]}://{rest}"
    return url


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# A pooled PostgreSQL connection idle longer than this is pinged before it is lent out: a
# firewall or NAT may have dropped it without a word. Busier connections are not.
PING_AFTER_IDLE_SECONDS = 10.0
_RETURNED_AT = "samverkan_returned_at"


def _note_returned(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _note_connected(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _check_before_lending(engine: AsyncEngine) -> Any:
    """A pool `checkout` hook that replaces a dead connection before anyone uses it.

    SQLAlchemy's `pool_pre_ping` would do this with three round trips per checkout on asyncpg
    (BEGIN, an empty query, ROLLBACK), which was most of what a chat request on PostgreSQL cost
    over SQLite. A server that restarts or ends a session closes its socket, and asyncpg marks
    the connection closed as soon as the event loop reads that, so checking `is_closed()` costs
    nothing. Only a connection idle long enough to have been dropped silently gets a real ping.
    Raising `DisconnectionError` makes the pool discard the connection and lend a fresh one.
    """
    dialect = engine.sync_engine.dialect

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.driver_connection.is_closed():
            raise exc.DisconnectionError("the database closed this connection")
        returned_at = record.info.get(_RETURNED_AT, 0.0)
        if time.monotonic() - returned_at <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # whatever the driver raises, the connection is unusable
            raise exc.DisconnectionError("the idle connection did not answer") from error

    return check


def make_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys switched on, as PostgreSQL always has them.

    `hide_parameters`: a database error names the statement but never its values, which are
    what users wrote (they would reach the log with the error).
    """
    engine = create_async_engine(url, hide_parameters=True)
    pool_events = engine.sync_engine.pool
    if make_url(url).get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
        # aiosqlite logs every statement with its values at DEBUG.
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
    else:
        event.listen(pool_events, "connect", _note_connected)
        event.listen(pool_events, "checkin", _note_returned)
        event.listen(pool_events, "checkout", _check_before_lending(engine))
    return engine


class Database:
    """One engine and its session factory, shared by the whole process."""

    def __init__(self, url: str) -> None:
        self.url = async_url(url)
        self.engine = make_engine(self.url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed together, or not at all."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def single_statement(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one statement that is atomic by itself (a batch's claim or finish).

        On PostgreSQL it runs in autocommit, which spares the BEGIN and COMMIT round trips a
        transaction costs; SQLite, in the same process, keeps its ordinary transaction.
        Never run two statements that must hold together here.
        """
        async with self.engine.connect() as connection:
            if self.dialect == "postgresql":
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
                yield connection
                return
            async with connection.begin():
                yield connection

    async def ping(self) -> None:
        """Raise if the database cannot be reached; used by `/readyz` and the CLI."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
