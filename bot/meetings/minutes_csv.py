"""Reading a CSV file of past meetings from the minutes: one row per person present.

The format is documented for users in `docs/import-meetings.md`. In short:

* encoding and delimiter as every spreadsheet import (`bot.common.spreadsheet_csv`): UTF-8 with or
  without BOM or Windows-1252; comma or semicolon, or an Excel `sep=;` line;
* header `forum;datum;tid;plats;namn;organisation;roll` (or the English
  `forum,date,time,place,name,organisation,role`) in any order, case or spacing; `forum`,
  `datum`, `namn` and `organisation` are required, `tid` may instead be part of `datum`;
* rows with the same forum, date and time are one meeting; a row with no name records a
  meeting whose attendance the minutes do not give.

Parsing (`parse_minutes`) is pure: it touches no database; `minutes_import` checks and writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from bot.common.spreadsheet_csv import Sheet, SheetLayout, SheetRow, UnreadableSheet, read_sheet

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


# The minutes file's rows and the file are the shared sheet's; these names say what they hold.
MinutesRow = SheetRow
MinutesFile = Sheet

LAYOUT = SheetLayout(columns=COLUMNS, required=REQUIRED, documented_header=DOCUMENTED_HEADER)


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


def parse_minutes(data: bytes) -> MinutesFile:
    """Decode and split the file; raises `InvalidMinutesFile` for an unreadable file or header.

    Row numbers are those Excel shows (the header is row 1); empty rows are skipped but
    counted, so the numbers still match the spreadsheet.
    """
    try:
        sheet = read_sheet(data, LAYOUT)
    except UnreadableSheet as unreadable:
        raise InvalidMinutesFile(
            [MinutesError(p.row, p.column, p.code, p.values) for p in unreadable.problems]
        ) from None
    if not sheet.rows:
        raise InvalidMinutesFile([MinutesError(None, "", "empty")])
    return sheet
