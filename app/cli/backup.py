"""`samverkan backup FILE`: a consistent copy of the SQLite database while the bot runs.

Copying a live SQLite file can catch it in the middle of a write; SQLite's online backup API
(`sqlite3.Connection.backup`) copies page by page and starts over when a writer changes a
page it has copied, so the copy is always a state the database was in. The copy is written to
a temporary file beside the target, checked with `PRAGMA integrity_check`, and only then
renamed into place, so a failed or interrupted backup never leaves a half file under the
name given. PostgreSQL has its own tool for this, `pg_dump`; the command says so and stops.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from app.cli.common import fail, settings_from, translator_for
from bot.common.i18n import Translator

USAGE_ERROR = 2  # the same exit code click uses for a command that cannot be run as asked


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.pass_context
def backup(ctx: click.Context, file: Path, force: bool) -> None:
    """Copy the SQLite database to FILE while the bot runs (PostgreSQL: use pg_dump)."""
    t = translator_for(ctx)
    source = _sqlite_path(t, settings_from(ctx).database_url, file)
    if not source.is_file():
        fail(t("backup.no_database", path=source))
    if file.resolve() == source.resolve():
        fail(t("backup.same_file", file=file), USAGE_ERROR)
    if file.exists() and not force:
        fail(t("backup.exists", file=file), USAGE_ERROR)
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.partial")
    try:
        copy_online(source, partial)
        problem = integrity_problem(partial)
        if problem:
            fail(t("backup.damaged", problem=problem, file=file))
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(t("backup.done", file=file, size=_size(file.stat().st_size), path=source))


def _sqlite_path(t: Translator, url: str, file: Path) -> Path:
    """The database file DATABASE_URL names; anything but an SQLite file ends the command."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        database = parsed.database or "samverkan"
        fail(t("backup.postgresql", file=file.with_suffix(".dump"), database=database), USAGE_ERROR)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        fail(t("backup.not_a_file", url=shown), USAGE_ERROR)
    return Path(parsed.database)


def copy_online(source: Path, target: Path) -> None:
    """Copy with SQLite's online backup API; the source is opened read-only."""
    target.unlink(missing_ok=True)
    with (
        contextlib.closing(
            sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        ) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def integrity_problem(path: Path) -> str | None:
    """None when SQLite finds the file sound, else its first complaint."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
    return None if verdict == "ok" else str(verdict)


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count} {unit}"
        count //= 1024
    return f"{count} GiB"
