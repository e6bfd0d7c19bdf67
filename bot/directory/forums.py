"""The forum directory: forgiving forum-name matching and need-to-know visibility rules."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.common.text import fold
from bot.directory.views import ForumView
from storage.models import Forum, ForumMember, Organization, Person

# A unique start of a name (`spind` for Spindelgrupp) counts as this sure, below an exact name.
PREFIX_SCORE = 90.0
ROLE_ORDER = {"chair": 0, "representative": 1, "secretary": 2, "deputy": 3}


class NamedForum(Protocol):
    """A forum's names and place in the tree, and whether its contacts are need-to-know: what
    name matching reads, and all the seed knows before forums are stored."""

    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def contacts_need_to_know(self) -> bool: ...


class ForumLike(NamedForum, Protocol):
    """What matching and visibility read of a forum: a stored `Forum` or a cached `ForumView`."""

    @property
    def meetings_need_to_know(self) -> bool: ...
    @property
    def groups(self) -> Sequence[ForumLike]: ...


class PersonLike(Protocol):
    """What visibility rules read of the asker: a stored `Person` or a cached `PersonView`."""

    @property
    def id(self) -> int: ...
    @property
    def is_admin(self) -> bool: ...


# Stored forums (for commands that change things) or cached views (for quick answers).
F = TypeVar("F", Forum, ForumView)


@dataclass
class ForumIndex(Generic[F]):
    """All forums and groups with every name staff may use for them, folded for comparison."""

    forums: list[F]
    names: dict[str, F]

    @classmethod
    def of(cls, forums: list[F]) -> ForumIndex[F]:
        by_id = {f.id: f for f in forums}
        return cls(forums, {name: by_id[i] for name, i in _names_for(forums).items()})

    def top_level(self) -> list[F]:
        return [f for f in self.forums if f.parent_id is None]

    def by_id(self, forum_id: int) -> F | None:
        return next((f for f in self.forums if f.id == forum_id), None)

    def match(self, query: str) -> F | None:
        """Exact name, then a unique prefix, then a close spelling; None when nothing fits."""
        folded = fold(query)
        exact = self.names.get(folded)
        if exact is not None or not folded:
            return exact
        found = self._forgiving(folded)
        return found[0] if found else None

    def _forgiving(self, folded: str) -> tuple[F, float] | None:
        """A unique prefix of a name, else the closest spelling; with how sure it is (0–100)."""
        prefixed = {
            forum.id: forum for spelled, forum in self.names.items() if spelled.startswith(folded)
        }
        if len(folded) >= 3 and len(prefixed) == 1:
            return next(iter(prefixed.values())), PREFIX_SCORE
        # Imported on first use: an exact or prefix match (nearly every question) needs none.
        from rapidfuzz import fuzz, process

        best = process.extractOne(folded, list(self.names), scorer=fuzz.ratio, score_cutoff=80)
        return (self.names[str(best[0])], float(best[1])) if best else None

    def match_prefix(self, text: str) -> tuple[F, str] | None:
        """The forum or group named at the start of `text`, and what follows it.

        The longest exact name wins; failing that, the start that matches a name best in the
        same forgiving way as `match` (`spindl knislinge 1/11 10:00`), a longer one on a tie.
        """
        words = text.split()
        for length in range(len(words), 0, -1):
            forum = self.names.get(fold(" ".join(words[:length])))
            if forum is not None:
                return forum, " ".join(words[length:])
        best: tuple[F, str] | None = None
        best_score = 0.0
        for length in range(len(words), 0, -1):
            found = self._forgiving(fold(" ".join(words[:length])))
            if found is not None and found[1] > best_score:
                best, best_score = (found[0], " ".join(words[length:])), found[1]
        return best


async def load_forum_index(session: AsyncSession) -> ForumIndex[Forum]:
    """The stored forums with their groups, for commands that work on the ORM objects."""
    query = select(Forum).options(selectinload(Forum.groups)).order_by(Forum.sort_order)
    forums = list((await session.scalars(query)).unique().all())
    return ForumIndex.of(forums)


def _names_for(forums: Sequence[ForumLike]) -> dict[str, int]:
    """Every folded name staff may use → the forum's id; a group also by "<forum> <group>"."""
    names: dict[str, int] = {}
    by_id = {f.id: f for f in forums}
    for forum in sorted(forums, key=lambda f: f.parent_id is not None):
        own = [forum.key.split(".")[-1], forum.name, forum.name_en, *forum.aliases]
        if forum.parent_id is not None:
            parent = by_id[forum.parent_id]
            parent_words = [parent.key, *parent.aliases]
            own += [f"{p} {g}" for p in parent_words for g in [*own[:1], *forum.aliases]]
        for name in own:
            names.setdefault(fold(name), forum.id)
    return names


def is_member(forum: ForumLike, person_forum_ids: Set[int]) -> bool:
    """Membership of the forum, of its parent forum, or of one of its groups."""
    if forum.id in person_forum_ids or forum.parent_id in person_forum_ids:
        return True
    return any(group.id in person_forum_ids for group in forum.groups)


def may_see_contacts(
    person: PersonLike | None, forum: ForumLike, person_forum_ids: Set[int]
) -> bool:
    """Who is in a forum, and how to reach them. (Who may see a forum's meetings and action
    items is the audience rule of `bot.channels.audience`.)"""
    if not forum.contacts_need_to_know:
        return person is not None
    return person is not None and (person.is_admin or is_member(forum, person_forum_ids))


async def memberships_of(session: AsyncSession, person: Person | None) -> set[int]:
    """The forum ids the person belongs to: one query, used for every visibility check."""
    if person is None:
        return set()
    rows = await session.scalars(
        select(ForumMember.forum_id).where(ForumMember.person_id == person.id)
    )
    return set(rows.all())


async def members_of(session: AsyncSession, forum_ids: list[int]) -> list[ForumMember]:
    """Active members of the given forums with their person and organisation, in one query."""
    query = (
        select(ForumMember)
        .join(Person, Person.id == ForumMember.person_id)
        .where(ForumMember.forum_id.in_(forum_ids), Person.active)
        .options(selectinload(ForumMember.person))
    )
    members = list((await session.scalars(query)).unique().all())
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.name))
    return members


def forum_name(forum: ForumLike, language: str) -> str:
    return forum.name_en if language == "en" else forum.name


def organisation_short(org: Organization, language: str) -> str:
    """`Polisen` / `the police`: an organisation as a sentence names it."""
    return (org.short_name_en or org.short_name) if language == "en" else org.short_name


def sentence(text: str) -> str:
    """A line that begins with a name written in lower case (`the police was …`) gets its
    capital letter."""
    return text[:1].upper() + text[1:]
