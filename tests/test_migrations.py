"""Migrations build the schema from an empty database and agree with the models."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.audit import Actor, record
from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Base


async def test_upgrade_from_empty_reaches_head_with_every_table(empty_database: Database) -> None:
    assert await current_revision(empty_database) is None
    await upgrade(empty_database)
    assert await current_revision(empty_database) == head_revision()

    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with empty_database.engine.connect() as connection:
        present = await connection.run_sync(tables)
    assert set(Base.metadata.tables) <= present


async def test_models_and_migrations_agree(empty_database: Database) -> None:
    await upgrade(empty_database)

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with empty_database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_upgrade_twice_is_harmless(empty_database: Database) -> None:
    await upgrade(empty_database)
    await upgrade(empty_database)
    assert await current_revision(empty_database) == head_revision()


async def test_audit_log_is_append_only(database: Database) -> None:
    async with database.transaction() as session:
        record(
            session,
            actor=Actor("test", "cli"),
            at=datetime(2026, 11, 26, tzinfo=UTC),
            action="test.write",
            entity_type="test",
            entity_id=1,
        )
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.engine.begin() as connection:
                await connection.execute(text(statement))
    async with database.engine.connect() as connection:
        actor = await connection.scalar(text("SELECT actor FROM audit_event"))
    assert actor == "test"
