"""Is the database at the newest migration? A quick yes without importing Alembic.

Every command that needs the schema (`samverkan serve` above all) checks it before starting.
Alembic answers that, but importing it (with Mako and Pygments: some 160 modules, about 0.25 s)
on every server start, to confirm what is almost always true, is waste. Here the revision ids
are read from the migration files (parsed, not run) and from the one row of `alembic_version`.
Only a plain "the single stored revision is the single newest one" counts as a yes; anything
else (an empty or older database, branches, a file this reader cannot follow) is no answer,
and the caller asks Alembic, so the verdict and its message stay Alembic's.
"""

from __future__ import annotations

import ast
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from storage.db import Database

# Alembic's own default; storage.migrate configures no other version table.
VERSION_TABLE = "alembic_version"

_NOT_PLAIN = object()  # a revision id given by anything but a literal


def versions_folder() -> Path:
    """Where storage.migrate points Alembic: storage/migrations/versions."""
    return Path(str(files("storage") / "migrations" / "versions"))


def _revision_ids(path: Path) -> tuple[str, str | None] | None:
    """(revision, down_revision) of one migration file, or None when they are not plain."""
    # Only the part before the first function: Alembic's template puts the ids there, and the
    # rest is most of the parsing time. Ids placed later are simply not found (no answer).
    header = path.read_text(encoding="utf-8").split("\ndef ", 1)[0]
    try:
        body = ast.parse(header, str(path)).body
    except SyntaxError:  # cut inside a decorator or a string: leave this file to Alembic
        return None
    found: dict[str, object] = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = value.value if isinstance(value, ast.Constant) else _NOT_PLAIN
    revision, down = found.get("revision"), found.get("down_revision", _NOT_PLAIN)
    if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
        return None  # missing, computed, or a merge (a tuple of parents)
    return revision, down


def newest_revision(folder: Path | None = None) -> str | None:
    """The one head of a straight chain of migration files, or None when it is not that simple."""
    chain: dict[str, str | None] = {}
    for path in sorted((folder or versions_folder()).glob("*.py")):
        if path.name.startswith("__init__"):
            continue  # as Alembic skips it
        ids = _revision_ids(path)
        if ids is None:
            return None
        chain[ids[0]] = ids[1]
    heads = set(chain) - {down for down in chain.values() if down is not None}
    return heads.pop() if len(heads) == 1 else None


def _stored(connection: Connection) -> list[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return [str(row) for row in rows]


async def is_newest(database: Database) -> bool:
    """True only when the database's single stored revision is the newest migration file."""
    newest = newest_revision()
    if newest is None:
        return False
    async with database.engine.connect() as connection:
        stored = await connection.run_sync(_stored)
    return stored == [newest]
