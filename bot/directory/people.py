"""Finding people by name as staff type them, and the words for their roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.text import fold
from bot.core.context import CommandError
from storage.models import Organization, Person

# A person's fields that every change records in the audit log, wherever the change comes from
# (the `person` command, its form, a CSV import).
AUDITED = ("name", "title", "organization_id", "email", "phone", "roles", "active")
_FORUM_ROLE_WORDS = {
    "representant": "representative",
    "representative": "representative",
    "ersattare": "deputy",
    "deputy": "deputy",
    "ordforande": "chair",
    "chair": "chair",
    "sekreterare": "secretary",
    "secretary": "secretary",
}


def forum_role_from_word(word: str) -> str | None:
    """`ersättare` / `deputy` → `deputy`; None for anything else."""
    return _FORUM_ROLE_WORDS.get(fold(word))


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def match_people(people: Iterable[N], query: str) -> list[N]:
    """People whose name matches: exactly, by a word in it, or by a close spelling."""
    folded = fold(query)
    if not folded:
        return []
    people = list(people)
    exact = [p for p in people if fold(p.name) == folded]
    if exact:
        return exact
    by_word = [
        p for p in people if folded in fold(p.name).split() or fold(p.name).startswith(folded)
    ]
    if by_word:
        return sorted(by_word, key=lambda p: p.name)
    # Imported on first use: only a misspelt name needs fuzzy matching (see bot.core.parser).
    from rapidfuzz import fuzz, process

    names = {fold(p.name): p for p in people}
    close = process.extract(folded, list(names), scorer=fuzz.WRatio, score_cutoff=86, limit=5)
    return [names[str(match[0])] for match in close]


async def find_people(session: AsyncSession, query: str) -> list[Person]:
    """Active people whose name matches (see `match_people`), as stored rows to change."""
    if not fold(query):
        return []
    return match_people((await session.scalars(select(Person).where(Person.active))).all(), query)


async def find_one_person(session: AsyncSession, query: str) -> Person:
    """Exactly one person, or a refusal that says whether nobody or several matched."""
    found = await find_people(session, query)
    if not found:
        raise CommandError("person.not_found", name=query[:80])
    if len(found) > 1:
        raise CommandError(
            "person.ambiguous", name=query[:80], names=", ".join(p.name for p in found)
        )
    return found[0]


async def find_organisation(session: AsyncSession, query: str) -> Organization | None:
    """`kommun`, `kommunen`, `Polisen`, `Östra Göinge kommun` → the organisation."""
    folded = fold(query)
    for org in (await session.scalars(select(Organization))).all():
        names = {fold(org.key), fold(org.name), fold(org.short_name), *map(fold, org.aliases)}
        if folded in names or any(n.startswith(folded) for n in names if len(folded) >= 4):
            return org
    return None
