"""The two databases every data benchmark measures: a fresh SQLite file, then a PostgreSQL
database of the run's own (created and dropped, so parallel runs never drop each other's).

    async for label, database in both_databases(args.postgres):
        await run(database, label)

Without a reachable PostgreSQL server the run says so and measures SQLite alone.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from storage.db import Database

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


async def both_databases(
    postgres_url: str = DEFAULT_POSTGRES, *, skipped_note: str = ""
) -> AsyncIterator[tuple[str, Database]]:
    """("sqlite", database), then ("postgresql", database); each disposed (and the PostgreSQL
    one dropped) once the loop moves on."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            yield "sqlite", database
        finally:
            await database.dispose()
    name = f"samverkan_bench_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(postgres_url, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        print(f"[postgresql] skipped: {error}{skipped_note}")
        return
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = postgres_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        database = Database(f"{base}/{name}")
        try:
            yield "postgresql", database
        finally:
            await database.dispose()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
