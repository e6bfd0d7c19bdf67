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


async def test_0008_keeps_the_rows_and_the_directory_triggers_of_a_live_database(
    empty_database: Database,
) -> None:
    """Upgrading an agreement already in use keeps its cycle and its forums' version trigger:
    columns are added in place, never by copying a table (which on SQLite cascades and drops
    triggers)."""
    await upgrade(empty_database, "0007_directory_version")
    async with empty_database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO agreement (id, key, title, parties, valid_from, valid_to, "
                "follow_up_month, revision_status, author_may_approve, draft_targets) VALUES "
                "(1, '2023-2026', 'Samverkansöverenskommelse 2023–2026', '[\"kommun\"]', "
                "'2023-01-01', '2026-12-31', 12, 'gällande', true, '[]')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO cycle_event (agreement_id, key, name_sv, name_en, month, day) "
                "VALUES (1, 'trygghetsmatning', 'Trygghetsmätning', 'Safety survey', 8, 15)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO forum (key, name, name_en, description_sv, description_en, "
                "aliases, expected_orgs, no_personal_text, meetings_need_to_know, "
                "contacts_need_to_know, sort_order) VALUES ('bra', 'Brå', 'Brå', '', '', '[]', "
                "'[]', false, false, false, 0)"
            )
        )
    await upgrade(empty_database)
    async with empty_database.engine.begin() as connection:
        events = await connection.scalar(text("SELECT count(*) FROM cycle_event"))
        source = await connection.scalar(text("SELECT source FROM cycle_event"))
        before = await connection.scalar(text("SELECT version FROM directory_version"))
        await connection.execute(text("UPDATE forum SET name = 'Lokala Brå' WHERE key = 'bra'"))
        after = await connection.scalar(text("SELECT version FROM directory_version"))
        kind = await connection.scalar(text("SELECT source FROM agreement"))
    assert (events, source, kind) == (1, "local", "seed")
    assert after > before
