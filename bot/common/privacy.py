"""The one rule for personal identity numbers in free text, and for forums that allow none.

A text "looks like it holds a personnummer" when it has 10 or 12 digits that read as one: a
birth date that exists (or, for a samordningsnummer, its day plus 60), then `-`, `+`, a space
or nothing, then four digits. The check digit is reported but never required: a mistyped
number identifies a person just as well, and a chat is no place for either.

Phone numbers as people write them (070-123 45 67, +46 70 123 45 67), dates with times
(2026-11-26 14:00), diarienummer (KS 2026/123) and amounts (1 500 000 kr) do not match: their
digits are grouped differently. A bare run of ten digits that reads as a valid date does match,
phone number or not: the reader cannot tell, so neither can the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

# The message a refusal or hold may show: "Texten ser ut som ett personnummer."
MESSAGE_KEY = "privacy.looks_like_personnummer"

# Hyphen, plus, the dashes a word processor may put in its place, or one space (any width).
_SEPARATORS = "-+\u2010\u2011\u2012\u2013\u2212 \u00a0\u202f"
# Every candidate is found at every start, so that a near miss cannot hide a real number next
# to it (the capture sits in a lookahead, which consumes nothing). Not part of a longer number,
# a decimal or a dash-joined reference on the left; no digit or decimal on the right.
_CANDIDATE = re.compile(
    r"(?<![0-9])(?<![0-9][.,:/\-\u2013])"
    r"(?=((18|19|20)?([0-9]{2})([0-9]{2})([0-9]{2})"
    rf"([{_SEPARATORS}]?)([0-9]{{4}}))(?![0-9])(?![.,:][0-9]))"
)
_COORDINATION_OFFSET = 60


class Kind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"


@dataclass(frozen=True)
class Finding:
    """Where a number that reads as a personal identity number sits in a text."""

    start: int
    end: int
    kind: Kind
    checksum_ok: bool


def _real_date(century: str | None, yy: int, month: int, day: int, plus: bool) -> bool:
    """Whether the birth date exists; without a century, in any century it could be."""
    centuries = [int(century)] if century else ([18, 19] if plus else [19, 20])
    for hundreds in centuries:
        try:
            date(hundreds * 100 + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def _checksum_ok(ten_digits: str) -> bool:
    # Imported on first use: python-stdnum is not needed until a number-like text turns up.
    from stdnum import luhn

    return bool(luhn.is_valid(ten_digits))


def find_identity_numbers(text: str) -> list[Finding]:
    """Every personnummer or samordningsnummer the text seems to hold, in order."""
    found: list[Finding] = []
    for match in _CANDIDATE.finditer(text):
        whole, century, yy, mm, dd, separator, tail = match.groups()
        day = int(dd)
        kind = Kind.PERSONNUMMER
        if day > _COORDINATION_OFFSET:
            day -= _COORDINATION_OFFSET
            kind = Kind.SAMORDNINGSNUMMER
        if not _real_date(century, int(yy), int(mm), day, separator == "+"):
            continue
        start = match.start(1)
        found.append(Finding(start, start + len(whole), kind, _checksum_ok(f"{yy}{mm}{dd}{tail}")))
    return found


def looks_like_personnummer(text: str) -> bool:
    """True when the text seems to hold a personnummer or samordningsnummer, valid or not."""
    return bool(find_identity_numbers(text))


class HasPersonalTextFlag(Protocol):
    """A forum, as far as this rule needs it."""

    @property
    def no_personal_text(self) -> bool: ...


def forbids_personal_text(
    forum: HasPersonalTextFlag | None, parent: HasPersonalTextFlag | None = None
) -> bool:
    """Whether no free text about individuals may be written in a forum or its group.

    A group (a Spindel district, say) inherits the rule of the forum it belongs to, so the
    caller passes that forum as `parent` when the forum is a group.
    """
    if forum is None:
        return False
    return forum.no_personal_text or (parent is not None and parent.no_personal_text)
