"""Reading a contacts CSV file as staff keep it in Excel: encoding, delimiter, header, rows.

The format is documented for users in `docs/import-contacts.md`. In short:

* encoding: UTF-8 with or without BOM; anything that is not valid UTF-8 is read as
  Windows-1252, which is what Swedish Excel writes for "CSV (semikolonavgränsad)";
* delimiter: comma or semicolon, whichever the header line uses more of (or as an Excel
  `sep=;` line before the header says);
* header: `namn,titel,organisation,e-post,telefon,forum,roll` (or the English
  `name,title,organisation,email,phone,forum,role`), in any order, case, spacing or hyphenation;
  only `namn` and `organisation` are required;
* one row per person and forum: a person in several forums is written on several rows; rows
  are the same person when the e-mail is the same, or the name when a row has no e-mail.

Parsing (`parse_contacts`) is pure: it touches no database; `contacts_import` checks and writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from bot.common.text import fold

# Canonical column → the header words accepted for it (folded, without spaces or hyphens).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("namn", "name", "fullname"),
    "title": ("titel", "title", "befattning"),
    "organisation": ("organisation", "organization", "org"),
    "email": ("epost", "email", "mail", "mejl", "epostadress", "emailaddress"),
    "phone": ("telefon", "phone", "tel", "telefonnummer", "phonenumber"),
    "forum": ("forum", "grupp", "group"),
    "role": ("roll", "role"),
}
REQUIRED = ("name", "organisation")
DOCUMENTED_HEADER = "namn,titel,organisation,e-post,telefon,forum,roll"


# Every problem the import reports; each has a message `transfer.import.error.<code>`.
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
        "missing_name",
        "too_long",
        "bad_email",
        "bad_phone",
        "personnummer",
        "missing_organisation",
        "unknown_organisation",
        "unknown_forum",
        "unknown_role",
        "role_without_forum",
        "ambiguous_name",
        "conflict",
        "ambiguous_person",
        "same_person",
        "title_names_forum",
    }
)


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (header = 1; None for the whole file), the
    column as written in the file's header, a message key (`transfer.import.error.<code>` in the
    catalog) and the values that message needs."""

    row: int | None
    column: str
    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown import error code {self.code!r}")


class InvalidContactsFile(Exception):
    """The file cannot be imported; `errors` lists every problem found, in file order."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the contacts file")
        self.errors = errors


@dataclass(frozen=True)
class ContactRow:
    """One non-empty data row: its Excel row number and its cells by canonical column."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class ContactsFile:
    encoding: str
    delimiter: str
    header: dict[str, str]  # canonical column → the header text as written in the file
    rows: list[ContactRow]

    def column(self, name: str) -> str:
        return self.header.get(name, name)


# --- reading the file -------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (BOM or not), else Windows-1252."""
    if b"\x00" in data:
        raise InvalidContactsFile([RowError(None, "", "not_text")])
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InvalidContactsFile([RowError(None, "", "encoding")]) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise InvalidContactsFile([RowError(None, "", "encoding")]) from None


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


def _read_header(cells: list[str]) -> tuple[dict[int, str], dict[str, str]]:
    """Column positions and the header text per canonical column; errors for the rest."""
    words = {word: column for column, accepted in COLUMNS.items() for word in accepted}
    positions: dict[int, str] = {}
    header: dict[str, str] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        column = words.get(_header_word(text))
        if column is None:
            errors.append(RowError(1, text, "unknown_column", {"expected": DOCUMENTED_HEADER}))
        elif column in header:
            errors.append(RowError(1, text, "duplicate_column", {"other": header[column]}))
        else:
            positions[position] = column
            header[column] = text
    for column in REQUIRED:
        if column not in header:
            missing = COLUMNS[column][0]
            errors.append(RowError(1, missing, "missing_column", {"expected": DOCUMENTED_HEADER}))
    if errors:
        raise InvalidContactsFile(errors)
    return positions, header


def parse_contacts(data: bytes) -> ContactsFile:
    """Decode and split the file; raises `InvalidContactsFile` for an unreadable file or header.

    Row numbers are those Excel shows (the header is row 1); empty rows are skipped but
    counted, so the numbers still match the spreadsheet.
    """
    text, encoding = decode(data)
    delimiter, text = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise InvalidContactsFile(
            [RowError(reader.line_num, "", "malformed", {"detail": str(error)})]
        ) from None
    start = next((i for i, cells in enumerate(records) if any(c.strip() for c in cells)), None)
    if start is None:
        raise InvalidContactsFile([RowError(None, "", "empty")])
    positions, header = _read_header(records[start])
    rows: list[ContactRow] = []
    errors: list[RowError] = []
    for index, cells in enumerate(records[start + 1 :], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        extra = [c for i, c in enumerate(cells) if c.strip() and i not in positions]
        if extra:
            errors.append(RowError(index, "", "extra_cells", {"value": extra[0].strip()}))
        values = {
            column: " ".join(cells[i].split()) if i < len(cells) else ""
            for i, column in positions.items()
        }
        rows.append(ContactRow(index, values))
    if errors:
        raise InvalidContactsFile(errors)
    return ContactsFile(encoding=encoding, delimiter=delimiter, header=header, rows=rows)
