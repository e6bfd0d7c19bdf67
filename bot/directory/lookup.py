"""Finding people by what they do: `vem kommunpolis`, `vem är ordförande i Brå`.

Staff often know the function, not the name. A question is read as a person role (kommunpolis,
Brå-samordnare, godkännare), a seat in a forum (ordförande i Brå) or a word of a title
(kommunikatör), in that order; need-to-know forums reveal their seats to members only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.common.text import fold
from bot.core.context import CommandError
from bot.directory.cache import Directory
from bot.directory.forums import forum_name, may_see_contacts
from bot.directory.people import forum_role_from_word
from bot.directory.views import ForumView, PersonView

# Folded, hyphens as spaces. The old word "firmatecknare" is still understood.
_PERSON_ROLE_WORDS = {
    "kommunpolis": "kommunpolis",
    "kommunpoliser": "kommunpolis",
    "kommunpolisen": "kommunpolis",
    "community police officer": "kommunpolis",
    "community police": "kommunpolis",
    "bra samordnare": "bra_coordinator",
    "brasamordnare": "bra_coordinator",
    "bra samordnaren": "bra_coordinator",
    "samordnare": "bra_coordinator",
    "bra coordinator": "bra_coordinator",
    "crime prevention coordinator": "bra_coordinator",
    "godkannare": "signer",
    "godkannarna": "signer",
    "firmatecknare": "signer",
    "signer": "signer",
    "signers": "signer",
    "approver": "signer",
    "approvers": "signer",
    "admin": "admin",
    "admins": "admin",
    "administrator": "admin",
    "administratorer": "admin",
    "administrators": "admin",
}
_CONNECTORS = {"i", "in", "for", "of", "the", "pa", "at", "inom"}
MIN_TITLE_QUERY = 4


@dataclass(frozen=True)
class Found:
    """A person found by function, with the words that say why (`ordförande – Brå`)."""

    person: PersonView
    because: str


def _words(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def person_role_of(query: str) -> str | None:
    """`Brå-samordnare`, `bråsamordnare`, `kommunpolis` → the stored person role, or None."""
    folded = _words(query)
    if folded in _PERSON_ROLE_WORDS:
        return _PERSON_ROLE_WORDS[folded]
    if len(folded) < MIN_TITLE_QUERY:
        return None
    # Imported on first use: only a question that is no plain role word needs fuzzy matching.
    from rapidfuzz import fuzz, process

    best = process.extractOne(folded, list(_PERSON_ROLE_WORDS), scorer=fuzz.ratio, score_cutoff=88)
    return _PERSON_ROLE_WORDS[str(best[0])] if best else None


def find_by_function(
    directory: Directory, asker: PersonView | None, query: str, language: str
) -> list[Found] | None:
    """People holding the role, seat or title `query` names; None when it names none of them.

    A seat in a need-to-know forum the asker may not see is refused (`contacts.need_to_know`)
    rather than answered with an empty list, so no one learns whether the seat is filled.
    """
    folded = _words(query)
    if not folded:
        return None
    role = person_role_of(query)
    if role is not None:
        holders = [p for p in directory.people.values() if p.has_role(role)]
        return [Found(p, p.title) for p in sorted(holders, key=lambda p: p.name)]
    seat = _by_seat(directory, asker, folded, language)
    if seat is not None:
        return seat
    return _by_title(directory, folded) or None


def _by_seat(
    directory: Directory, asker: PersonView | None, folded: str, language: str
) -> list[Found] | None:
    first, _, rest = folded.partition(" ")
    seat = forum_role_from_word(first)
    if seat is None:
        return None
    words = rest.split()
    while words and words[0] in _CONNECTORS:
        words = words[1:]
    mine = directory.forum_ids_of(asker)
    forums: list[ForumView]
    if words:
        forum = directory.index.match(" ".join(words))
        if forum is None:
            names = ", ".join(f.key for f in directory.index.top_level())
            raise CommandError("forum.unknown", name=" ".join(words)[:80], forums=names)
        if not may_see_contacts(asker, forum, mine):
            raise CommandError("contacts.need_to_know", forum=forum_name(forum, language))
        forums = [forum]
    else:
        forums = [f for f in directory.index.forums if may_see_contacts(asker, f, mine)]
    found = [
        Found(member.person, forum_name(forum, language))
        for forum in forums
        for member in directory.members.get(forum.id, ())
        if member.role == seat
    ]
    return found


def _by_title(directory: Directory, folded: str) -> list[Found]:
    """People whose title, or a part of it between commas, starts with or has the word."""
    if len(folded) < MIN_TITLE_QUERY:
        return []
    found = []
    for person in directory.people.values():
        parts = [_words(part) for part in person.title.split(",")]
        if any(
            part == folded or part.startswith(folded + " ") or f" {folded} " in f" {part} "
            for part in parts
        ):
            found.append(Found(person, person.title))
    return sorted(found, key=lambda f: f.person.name)
