"""Pooled PostgreSQL connections: a dead one is replaced before anyone uses it (storage/db.py).

The pool no longer pings every connection it lends (three round trips each on asyncpg); these
tests hold it to what the ping was for: a database that ended its sessions — a restart, a
failover, an administrator — costs no request, and a connection idle long enough to have been
dropped silently is still checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

import storage.db
from storage.db import Database
from tests.conftest import PG_SERVER, Chat

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


async def _end_every_session_of(database: Database) -> int:
    """What a server restart does to the bot's connections: each is closed from the far end."""
    admin = await asyncpg.connect(PG_SERVER, timeout=5)
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            database.engine.url.database,
        )
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the closed sockets reach the event loop
    return int(ended)


async def _backend_pid(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.fixture
def pings(database: Database) -> Iterator[list[int]]:
    """Every ping the pool sends, counted at the dialect."""
    dialect = database.engine.sync_engine.dialect
    ping: Callable[[Any], Any] = dialect.do_ping
    sent: list[int] = []

    def counted(dbapi_connection: Any) -> Any:
        sent.append(1)
        return ping(dbapi_connection)

    dialect.do_ping = counted  # type: ignore[method-assign]
    yield sent
    dialect.do_ping = ping  # type: ignore[method-assign]


async def test_a_question_after_the_database_ended_every_session_is_answered(
    chat: Chat,
) -> None:
    first = await chat.text("Sara Nilsson", "kontakter brå")
    assert await _end_every_session_of(chat.bot.database) >= 1

    again = await chat.text("Sara Nilsson", "kontakter brå")

    assert again == first
    assert "Brå" in again


async def test_a_connection_the_server_closed_is_replaced_without_a_ping(
    database: Database, pings: list[int]
) -> None:
    before = await _backend_pid(database)
    await _end_every_session_of(database)

    after = await _backend_pid(database)

    assert after != before
    assert pings == []  # seen closed at checkout: no round trip spent finding out


async def test_a_busy_connection_is_lent_without_a_ping(
    database: Database, pings: list[int]
) -> None:
    for _ in range(5):
        await database.ping()

    assert pings == []


async def test_an_idle_connection_is_pinged_and_replaced_if_it_does_not_answer(
    database: Database, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await _backend_pid(database)
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    dialect = database.engine.sync_engine.dialect
    counted = dialect.do_ping

    def silent_once(dbapi_connection: Any) -> Any:
        dialect.do_ping = counted  # type: ignore[method-assign]
        counted(dbapi_connection)
        raise OSError("no answer")  # as a connection a firewall dropped would

    dialect.do_ping = silent_once  # type: ignore[method-assign]

    after = await _backend_pid(database)

    assert after != before
    assert len(pings) >= 1
