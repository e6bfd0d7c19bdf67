"""Shared CLI plumbing: settings, the database, running coroutines, failing clearly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from app.cli.schema_check import is_newest
from app.config_check import Configuration, load
from app.logs import configure
from app.operator_language import operator_language
from bot.common.config import Settings
from bot.common.i18n import Translator
from storage.db import Database

T = TypeVar("T")


# The exit code of a configuration that cannot work (as sysexits' EX_USAGE-like convention of
# argument errors in click): set apart from 1, a failure while running.
CONFIG_ERROR = 2


def settings_from(ctx: click.Context) -> Settings:
    """The settings, checked when first asked for: a bad value ends the command in one line.

    Tests may hand settings in through the context object; those are taken as they are.
    """
    root = ctx.find_root()
    root.ensure_object(dict)
    settings: Settings | None = root.obj.get("settings")
    if settings is None:
        settings = checked(ctx, platforms=False, level="WARNING").settings
        assert settings is not None
        root.obj["settings"] = settings
    return settings


def checked(ctx: click.Context, *, platforms: bool = True, level: str = "INFO") -> Configuration:
    """Every setting read and checked; on any problem, one line each on stderr and exit 2.

    Then the logs take the configured format and level (`level` unless SAMVERKAN_LOG_LEVEL
    says otherwise), and notes (how a database URL was taken, …) are said once, on stderr,
    before anything starts.
    """
    config = load(platforms=platforms)
    if config.problems:
        for line in config.lines(config.problems):
            click.echo(f"samverkan: {line}", err=True)
        raise SystemExit(CONFIG_ERROR)
    assert config.settings is not None
    root = ctx.find_root()
    verbose = bool(root.obj.get("verbose")) if isinstance(root.obj, dict) else False
    configure(config.settings.log_format, config.settings.log_level or level, verbose=verbose)
    for line in config.lines(config.notes):
        click.echo(f"samverkan: {line}", err=True)
    root = ctx.find_root()
    root.ensure_object(dict)
    root.obj.setdefault("settings", config.settings)
    return config


def translator_for(ctx: click.Context) -> Translator:
    """The operator's language for CLI messages (`app.operator_language`)."""
    settings = settings_from(ctx)
    return Translator(operator_language(), settings.tz)


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
        database = Database(settings.database)
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
                    error=reason(error, settings.database),
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


def reason(error: BaseException, url: str) -> str:
    """The driver's own words for a failure (refused, unknown host, bad password), no secret.

    SQLAlchemy wraps the driver's exception; its message is the one that says what happened.
    """
    cause: BaseException = error
    if isinstance(error, DBAPIError) and error.orig is not None:
        cause = error.orig
    while cause.__cause__ is not None:  # SQLAlchemy's async adaptors wrap the driver's error
        cause = cause.__cause__
    text = " ".join(str(cause).split()) or type(cause).__name__
    password = _password(url)
    if password:
        text = text.replace(password, "***")
    return f"{type(cause).__name__}: {text}"


def _password(url: str) -> str | None:
    from sqlalchemy.engine.url import make_url

    try:
        return make_url(url).password
    except Exception:
        return None


def _redacted(url: str) -> str:
    """A database URL without its password, safe for a terminal or a log."""
    from sqlalchemy.engine.url import make_url

    return make_url(url).render_as_string(hide_password=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print to stderr and exit non-zero: how every CLI error ends."""
    click.echo(f"samverkan: {message}", err=True)
    raise SystemExit(code)
