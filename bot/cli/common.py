"""Shared CLI plumbing: settings, the database, running coroutines, failing clearly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import Settings
from storage.db import Database

T = TypeVar("T")


def settings_from(ctx: click.Context) -> Settings:
    """The settings read when the command started (fresh each run, so tests can vary them)."""
    settings: Settings | None = ctx.find_root().obj.get("settings") if ctx.find_root().obj else None
    return settings or Settings()


def run_with_database(ctx: click.Context, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` against the configured database; unreachable → a clear error, exit 2."""
    settings = settings_from(ctx)

    async def main() -> T:
        database = Database(settings.database_url)
        try:
            await database.ping()
        except (OSError, OperationalError, DBAPIError) as error:
            raise click.ClickException(
                f"the database cannot be reached ({_redacted(settings.database_url)}): "
                f"{type(error).__name__}"
            ) from None
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(main())


def _redacted(url: str) -> str:
    """A database URL without its password, safe for a terminal or a log."""
    from sqlalchemy.engine.url import make_url

    return make_url(url).render_as_string(hide_password=True)


def fail(message: str, code: int = 2) -> Any:
    click.echo(f"samverkan: {message}", err=True)
    raise SystemExit(code)
