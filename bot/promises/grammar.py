"""Reading `löfte ny <text> part polisen [område …] [ansvarig …] [mål 40 enhet] [år …]
[senast …]`: the free text up to `part`, then each keyword's value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.agreement.days import read_day
from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.directory.people import find_one_person, find_organisation
from bot.promises.words import JOINT, is_joint
from storage.models import Agreement, Person

_KEYWORDS = {
    "part": "party",
    "party": "party",
    "område": "area",
    "omrade": "area",
    "area": "area",
    "ansvarig": "owner",
    "owner": "owner",
    "mål": "target",
    "target": "target",
    "år": "year",
    "year": "year",
    "senast": "due",
    "due": "due",
    "text": "text",
}
_ALL = re.compile(r"(?:^|\s+)(" + "|".join(_KEYWORDS) + r")\s+", re.IGNORECASE)
_PARTY = re.compile(r"\s+(part|party)\s+", re.IGNORECASE)
_TARGET = re.compile(r"^(\d{1,6})\s*(.*)$")


@dataclass(frozen=True)
class Parts:
    text: str
    values: dict[str, str] = field(default_factory=dict)


def keyword_values(raw: str) -> dict[str, str]:
    """`part polisen ansvarig Ahmed` → {party: polisen, owner: Ahmed}; later ones win."""
    pieces = _ALL.split(" " + raw.strip() + " ")
    return {
        _KEYWORDS[keyword.lower()]: value.strip()
        for keyword, value in zip(pieces[1::2], pieces[2::2], strict=True)
    }


def split_new(raw: str) -> Parts:
    """The commitment's text runs up to `part`/`party`; the keywords follow it."""
    padded = " " + raw.strip() + " "
    found = _PARTY.search(padded)
    if found is None:
        raise CommandError("promises.error.party_missing")
    return Parts(padded[: found.start()].strip(), keyword_values(padded[found.start() :]))


async def party(context: Context, agreement: Agreement, word: str) -> str:
    """`polisen` → `polis`, `gemensamt` → `joint`; only the agreement's parties."""
    if is_joint(word):
        return JOINT
    org = await find_organisation(context.session, word)
    if org is None or org.key not in agreement.parties:
        raise CommandError("promises.error.bad_party", party=word[:40])
    return org.key


async def owner(context: Context, name: str) -> Person:
    if fold(name) in ("mig", "jag", "me"):
        return context.require_person()
    return await find_one_person(context.session, name)


def target(text: str) -> tuple[int, str]:
    """`40 trafikkontroller` → (40, `trafikkontroller`)."""
    match = _TARGET.match(text.strip())
    if match is None:
        raise CommandError("promises.error.bad_target", text=text[:40])
    return int(match.group(1)), " ".join(match.group(2).split())[:80]


def year(text: str) -> int:
    if not re.fullmatch(r"20\d\d", text.strip()):
        raise CommandError("promises.error.bad_year", text=text[:20])
    return int(text)


def day(context: Context, text: str) -> date:
    found = read_day(text, context.now(), context.settings.tz)
    if found is None:
        raise CommandError("promises.error.bad_date", text=text[:40])
    return found


def number(text: str) -> tuple[int, bool, str]:
    """`12 kommentar` → (12, absolute, comment); `+4` → (4, relative, ``)."""
    head, _, rest = text.strip().partition(" ")
    match = re.fullmatch(r"([+-]?)(\d{1,6})", head)
    if match is None:
        raise CommandError("promises.error.bad_outcome")
    value = int(match.group(2))
    if match.group(1) == "-":
        value = -value
    return value, bool(match.group(1)), rest.strip()
