"""Reading a CSV file of past meetings from the minutes: one row per person present.

The format is documented for users in `docs/import-meetings.md`. In short:

* encoding and delimiter as the contacts import (`bot.directory.contacts_csv`): UTF-8 with or
  without BOM or Windows-1252; comma or semicolon, or an Excel `sep=;` line;
* header `forum;datum;tid;plats;namn;organisation;roll` (or the English
  `forum,date,time,place,name,organisation,role`) in any order, case or spacing; `forum`,
  `datum`, `namn` and `organisation` are required, `tid` may instead be part of `datum`;
* rows with the same forum, date and time are one meeting; a row with no name records a
  meeting whose attendance the minutes do not give.

Parsing (`parse_minutes`) is pure: it touches no database; `minutes_import` checks and writes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from bot.common.text import fold
from bot.directory.contacts_csv import InvalidContactsFile, decode, detect_delimiter

COLUMNS: dict[str, tuple[str, ...]] = {
    "forum": ("forum", "grupp", "group"),
    "date": ("datum", "date", "dag", "day", "motesdatum", "meetingdate"),
    "time": ("tid", "time", "klockan", "starttid", "start", "starttime"),
    "place": ("plats", "place", "lokal", "location"),
    "name": ("namn", "name", "narvarande", "deltagare", "attendee"),
    "organisation": ("organisation", "organization", "org"),
    "role": ("roll", "role"),
}
REQUIRED = ("forum", "date", "name", "organisation")
DOCUMENTED_HEADER = "forum;datum;tid;plats;namn;organisation;roll"

# Every problem the import reports; each has a message `minutes.import.error.<code>`.
ERROR_CODES = frozenset(
    {
        "not_text",
        "encoding",
        "malformed",
        "empty",
        "unknown_column",
        "duplicate_column",
        "missing_column",
        "extra_cells",
        "missing_forum",
        "unknown_forum",
        "missing_date",
        "bad_date",
        "bad_time",
        "missing_time",
        "nonexistent_time",
        "ambiguous_time",
        "future",
        "missing_organisation",
        "unknown_organisation",
        "organisation_without_name",
        "unknown_role",
        "too_long",
        "personnummer",
        "place_conflict",
        "attendee_conflict",
        "ambiguous_person",
    }
)


@dataclass(frozen=True)
class MinutesError:
    """One problem: the row as Excel numbers it (header = 1; None for the whole file), the
    column as written in the header, a message key (`minutes.import.error.<code>`) and the
    values it needs."""

    row: int | None
    column: str
    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown minutes import error code {self.code!r}")


class InvalidMinutesFile(Exception):
    """The file cannot be imported; `errors` lists every problem found, in file order."""

    def __init__(self, errors: list[MinutesError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the minutes file")
        self.errors = errors


@dataclass(frozen=True)
class MinutesRow:
    """One non-empty data row: its Excel row number and its cells by canonical column."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class MinutesFile:
    encoding: str
    delimiter: str
    header: dict[str, str]  # canonical column → the header text as written in the file
    rows: list[MinutesRow]

    def column(self, name: str) -> str:
        return self.header.get(name, name)


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(?:kl\.?\s*)?(.+))?$", re.IGNORECASE)
_TIME = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?$", re.IGNORECASE)


def read_date(text: str) -> tuple[date, str] | None:
    """`2024-03-12` (what Swedish Excel writes), maybe followed by a time; None if unreadable."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return day, (match.group(4) or "").strip()


def read_time(text: str) -> time | None:
    """`13:00`, `13.00`, `kl 9.30` or Excel's `13:00:00`; None if unreadable."""
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _header_word(cell: str) -> str:
    return fold(cell).replace(" ", "").replace("-", "").replace("_", "").replace(".", "")


def _read_header(cells: list[str]) -> tuple[dict[int, str], dict[str, str]]:
    words = {word: column for column, accepted in COLUMNS.items() for word in accepted}
    positions: dict[int, str] = {}
    header: dict[str, str] = {}
    errors: list[MinutesError] = []
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        column = words.get(_header_word(text))
        if column is None:
            errors.append(MinutesError(1, text, "unknown_column", {"expected": DOCUMENTED_HEADER}))
        elif column in header:
            errors.append(MinutesError(1, text, "duplicate_column", {"other": header[column]}))
        else:
            positions[position] = column
            header[column] = text
    for column in REQUIRED:
        if column not in header:
            missing = COLUMNS[column][0]
            errors.append(
                MinutesError(1, missing, "missing_column", {"expected": DOCUMENTED_HEADER})
            )
    if errors:
        raise InvalidMinutesFile(errors)
    return positions, header


def _decoded(data: bytes) -> tuple[str, str]:
    """The contacts import's reading of bytes as text, with its problems in our own words."""
    try:
        return decode(data)
    except InvalidContactsFile as invalid:
        raise InvalidMinutesFile(
            [MinutesError(e.row, e.column, e.code, e.values) for e in invalid.errors]
        ) from None


def parse_minutes(data: bytes) -> MinutesFile:
    """Decode and split the file; raises `InvalidMinutesFile` for an unreadable file or header.

    Row numbers are those Excel shows (the header is row 1); empty rows are skipped but
    counted, so the numbers still match the spreadsheet.
    """
    text, encoding = _decoded(data)
    delimiter, text = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise InvalidMinutesFile(
            [MinutesError(reader.line_num, "", "malformed", {"detail": str(error)})]
        ) from None
    start = next((i for i, cells in enumerate(records) if any(c.strip() for c in cells)), None)
    if start is None:
        raise InvalidMinutesFile([MinutesError(None, "", "empty")])
    positions, header = _read_header(records[start])
    rows: list[MinutesRow] = []
    errors: list[MinutesError] = []
    for index, cells in enumerate(records[start + 1 :], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        extra = [c for i, c in enumerate(cells) if c.strip() and i not in positions]
        if extra:
            errors.append(MinutesError(index, "", "extra_cells", {"value": extra[0].strip()}))
        values = {
            column: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, column in positions.items()
        }
        rows.append(MinutesRow(index, values))
    if errors:
        raise InvalidMinutesFile(errors)
    if not rows:
        raise InvalidMinutesFile([MinutesError(None, "", "empty")])
    return MinutesFile(encoding=encoding, delimiter=delimiter, header=header, rows=rows)
