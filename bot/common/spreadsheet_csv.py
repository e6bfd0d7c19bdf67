"""Reading a CSV file as staff keep it in Excel: encoding, delimiter, header and rows.

Both imports (contacts, past meetings from the minutes) take files saved from Swedish Excel,
so they share one reading of the bytes and report problems in the same shape; each import
names its own columns and turns a `SheetProblem` into its own error type and messages.

* encoding: UTF-8 with or without BOM; anything that is not valid UTF-8 is read as
  Windows-1252, which is what Swedish Excel writes for "CSV (semikolonavgränsad)";
* delimiter: comma or semicolon, whichever the header line uses more of (or as an Excel
  `sep=;` line before the header says);
* header: the words each import accepts per column, in any order, case, spacing or hyphenation;
* row numbers are those Excel shows (the header is row 1); empty rows are skipped but counted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.common.text import fold


@dataclass(frozen=True)
class SheetProblem:
    """One problem: the row as Excel numbers it (None for the whole file), the column as
    written in the header, a code the import has a message for, and that message's values."""

    row: int | None
    column: str
    code: str
    values: dict[str, Any] = field(default_factory=dict)


class UnreadableSheet(Exception):
    """The file or its header cannot be read; `problems` lists every one found, in file order."""

    def __init__(self, problems: list[SheetProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


@dataclass(frozen=True)
class SheetRow:
    """One non-empty data row: its Excel row number and its cells by canonical column."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    encoding: str
    delimiter: str
    header: dict[str, str]  # canonical column → the header text as written in the file
    rows: list[SheetRow]

    def column(self, name: str) -> str:
        return self.header.get(name, name)


@dataclass(frozen=True)
class SheetLayout:
    """What one import expects: header words per canonical column, the required columns and
    the documented header line that error messages quote."""

    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    documented_header: str


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (BOM or not), else Windows-1252."""
    if b"\x00" in data:
        raise UnreadableSheet([SheetProblem(None, "", "not_text")])
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise UnreadableSheet([SheetProblem(None, "", "encoding")]) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise UnreadableSheet([SheetProblem(None, "", "encoding")]) from None


def detect_delimiter(text: str) -> tuple[str, str]:
    """Semicolon (Swedish Excel) or comma, whichever the header line uses more; and the text.

    An Excel hint line `sep=;` before the header decides instead, and is dropped: Excel does
    not show it as a row, so the header stays row 1.
    """
    hint = re.match(r"\s*sep=([;,])[ \t]*(?:\r\n|\n|\r|$)", text, flags=re.IGNORECASE)
    if hint:
        return hint.group(1), text[hint.end() :]
    first = next((line for line in text.splitlines() if line.strip()), "")
    return (";" if first.count(";") > first.count(",") else ","), text


def _header_word(cell: str) -> str:
    return fold(cell).replace(" ", "").replace("-", "").replace("_", "").replace(".", "")


def _read_header(cells: list[str], layout: SheetLayout) -> tuple[dict[int, str], dict[str, str]]:
    """Column positions and the header text per canonical column; problems for the rest."""
    words = {word: column for column, accepted in layout.columns.items() for word in accepted}
    positions: dict[int, str] = {}
    header: dict[str, str] = {}
    problems: list[SheetProblem] = []
    expected = {"expected": layout.documented_header}
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        column = words.get(_header_word(text))
        if column is None:
            problems.append(SheetProblem(1, text, "unknown_column", dict(expected)))
        elif column in header:
            problems.append(SheetProblem(1, text, "duplicate_column", {"other": header[column]}))
        else:
            positions[position] = column
            header[column] = text
    for column in layout.required:
        if column not in header:
            missing = layout.columns[column][0]
            problems.append(SheetProblem(1, missing, "missing_column", dict(expected)))
    if problems:
        raise UnreadableSheet(problems)
    return positions, header


def read_sheet(data: bytes, layout: SheetLayout) -> Sheet:
    """Decode and split the file; raises `UnreadableSheet` for an unreadable file or header,
    or for cells outside the header's columns."""
    text, encoding = decode(data)
    delimiter, text = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise UnreadableSheet(
            [SheetProblem(reader.line_num, "", "malformed", {"detail": str(error)})]
        ) from None
    start = next((i for i, cells in enumerate(records) if any(c.strip() for c in cells)), None)
    if start is None:
        raise UnreadableSheet([SheetProblem(None, "", "empty")])
    positions, header = _read_header(records[start], layout)
    rows: list[SheetRow] = []
    problems: list[SheetProblem] = []
    for index, cells in enumerate(records[start + 1 :], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        extra = [c for i, c in enumerate(cells) if c.strip() and i not in positions]
        if extra:
            problems.append(SheetProblem(index, "", "extra_cells", {"value": extra[0].strip()}))
        values = {
            column: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, column in positions.items()
        }
        rows.append(SheetRow(index, values))
    if problems:
        raise UnreadableSheet(problems)
    return Sheet(encoding=encoding, delimiter=delimiter, header=header, rows=rows)
