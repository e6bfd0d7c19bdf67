"""What both spreadsheet imports (`import contacts`, `import meetings`) do around their rows:
read the file, report every problem as file/row/column lines, and check without saving.

Keeping this in one place means the two imports answer bad files in the same words and a
`--dry-run` of either one rolls back the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.common import fail
from bot.common.i18n import Translator
from storage.db import Database

Report = TypeVar("Report")


class FileProblem(Protocol):
    """A problem as both imports report it: Excel row (None: the whole file), header column,
    a code with a message in the import's catalog, and that message's values."""

    @property
    def row(self) -> int | None: ...
    @property
    def column(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


def read_bytes(t: Translator, file: Path) -> bytes:
    """The file's bytes, or a plain answer saying why it cannot be read."""
    try:
        return file.read_bytes()
    except OSError as error:
        fail(t("transfer.import.cannot_read", file=file, reason=error.strerror or error))


def describe(t: Translator, file: str, problem: FileProblem, messages: str) -> str:
    """One line of the error report: file, row, column and what is wrong; `messages` is the
    catalog prefix of the import's problem texts (`transfer.import.error`, …)."""
    what = t(f"{messages}.{problem.code}", **problem.values)
    if problem.row is None:
        return t("transfer.import.where_file", file=file, problem=what)
    if not problem.column:
        return t("transfer.import.where_row", file=file, row=problem.row, problem=what)
    where = {"file": file, "row": problem.row, "column": problem.column}
    return t("transfer.import.where_cell", **where, problem=what)


def report_invalid(
    t: Translator, file: str, problems: Iterable[FileProblem], messages: str
) -> NoReturn:
    """Every problem on stderr, then exit saying nothing was saved."""
    listed = list(problems)
    for problem in listed:
        click.echo(describe(t, file, problem, messages), err=True)
    fail(t("transfer.import.nothing_saved", count=len(listed), file=file))


class _RollBack(Exception):
    """Leaves the transaction without saving, carrying the report of what would have been."""

    def __init__(self, report: object) -> None:
        super().__init__("dry run")
        self.report = report


async def import_in_transaction(
    database: Database,
    work: Callable[[AsyncSession], Awaitable[Report]],
    *,
    dry_run: bool,
) -> Report:
    """Run the import in one transaction; with `dry_run`, every check runs and nothing stays."""
    try:
        async with database.transaction() as session:
            report = await work(session)
            if dry_run:
                raise _RollBack(report)
    except _RollBack as checked:
        return checked.report  # type: ignore[return-value]  # what `work` returned
    return report
