"""Reading a contacts CSV file as staff keep it in Excel: encoding, delimiter, header, rows.

The format is documented for users in `docs/import-contacts.md`. Encoding, delimiter and row
numbers are read as every spreadsheet import reads them (`bot.common.spreadsheet_csv`). In short:

* header: `namn,titel,organisation,e-post,telefon,forum,roll` (or the English
  `name,title,organisation,email,phone,forum,role`), in any order, case, spacing or hyphenation;
  only `namn` and `organisation` are required;
* one row per person and forum: a person in several forums is written on several rows; rows
  are the same person when the e-mail is the same, or the name when a row has no e-mail.

Parsing (`parse_contacts`) is pure: it touches no database; `contacts_import` checks and writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.common.spreadsheet_csv import Sheet, SheetLayout, SheetRow, UnreadableSheet, read_sheet

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


# The contacts file's rows and the file are the shared sheet's; these names say what they hold.
ContactRow = SheetRow
ContactsFile = Sheet

LAYOUT = SheetLayout(columns=COLUMNS, required=REQUIRED, documented_header=DOCUMENTED_HEADER)


# --- reading the file -------------------------------------------------------------------------


def parse_contacts(data: bytes) -> ContactsFile:
    """Decode and split the file; raises `InvalidContactsFile` for an unreadable file or header.

    Row numbers are those Excel shows (the header is row 1); empty rows are skipped but
    counted, so the numbers still match the spreadsheet.
    """
    try:
        return read_sheet(data, LAYOUT)
    except UnreadableSheet as unreadable:
        raise InvalidContactsFile(
            [RowError(p.row, p.column, p.code, p.values) for p in unreadable.problems]
        ) from None
