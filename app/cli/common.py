"""Shared CLI plumbing: settings, the database, running coroutines, failing clearly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from app.cli.schema_check import is_newest
from bot.common.config import Settings
from bot.common.i18n import Translator, choose_language
from storage.db import Database

T = TypeVar("T")


def settings_from(ctx: click.Context) -> Settings:
    """The settings read when the command started (fresh each run, so tests can vary them)."""
    settings: Settings | None = ctx.find_root().obj.get("settings") if ctx.find_root().obj else None
    return settings or Settings()


def translator_for(ctx: click.Context) -> Translator:
    """The operator's language for CLI messages: SAMVERKAN_LOCALE, Swedish by default."""
    settings = settings_from(ctx)
    return Translator(choose_language(settings.locale), settings.tz)


def run_with_database(
    ctx: click.Context, work: Callable[[Database], Awaitable[T]], *, needs_schema: bool = True
) -> T:
    """Run `work` against the configured database.

    Unreachable, or (when `needs_schema`) not upgraded to the newest migration: a clear
    message on stderr and a non-zero exit instead of an SQL error.
    """
    settings = settings_from(ctx)
    t = translator_for(ctx)

    async def main() -> T:
        database = Database(settings.database_url)
        try:
            await database.ping()
            outdated = needs_schema and not await is_newest(database)
            if outdated:
                # Not plainly up to date: Alembic decides (imported only now, see schema_check).
                from storage.migrate import current_revision, head_revision

                revision = await current_revision(database)
                outdated = revision != head_revision()
        except (OSError, OperationalError, DBAPIError) as error:
            await database.dispose()
            fail(
                t(
                    "cli.database_unreachable",
                    url=_redacted(settings.database_url),
                    error=type(error).__name__,
                )
            )
        if outdated:
            await database.dispose()
            fail(t("cli.schema_outdated", revision=revision or "-", head=head_revision()))
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(main())


def _redacted(url: str) -> str:
    """A database URL without its password, safe for a terminal or a log."""
    from sqlalchemy.engine.url import make_url

    return make_url(url).render_as_string(hide_password=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print to stderr and exit non-zero: how every CLI error ends."""
    click.echo(f"samverkan: {message}", err=True)
    raise SystemExit(code)
