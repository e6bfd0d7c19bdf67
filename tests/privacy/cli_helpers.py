"""Running `samverkan` for real through click against the test's database."""

from __future__ import annotations

import asyncio

from click.testing import CliRunner, Result

from app.cli.main import main
from storage.db import Database


def env_of(database: Database, locale: str = "sv") -> dict[str, str]:
    """The environment the CLI reads its settings from, pointing at this test's database."""
    return {"DATABASE_URL": database.url, "SAMVERKAN_LOCALE": locale}


async def cli(database: Database, *args: str, locale: str = "sv") -> Result:
    """CliRunner calls asyncio.run, so the command runs in a thread while the test's loop waits."""

    def invoke() -> Result:
        return CliRunner().invoke(main, list(args), env=env_of(database, locale))

    return await asyncio.to_thread(invoke)
