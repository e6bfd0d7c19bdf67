"""The forum directory: forgiving forum-name matching and need-to-know visibility rules."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.text import fold
from storage.models import Forum, ForumMember, Person

ROLE_ORDER = {"chair": 0, "representative": 1, "secretary": 2, "deputy": 3}


@dataclass
class ForumIndex:
    """All forums and groups with every name staff may use for them, folded for comparison."""

    forums: list[Forum]
    names: dict[str, Forum]

    @classmethod
    async def load(cls, session: AsyncSession) -> ForumIndex:
        query = select(Forum).options(selectinload(Forum.groups)).order_by(Forum.sort_order)
        forums = list((await session.scalars(query)).unique().all())
        return cls(forums, _names_for(forums))

    def top_level(self) -> list[Forum]:
        return [f for f in self.forums if f.parent_id is None]

    def by_id(self, forum_id: int) -> Forum | None:
        return next((f for f in self.forums if f.id == forum_id), None)

    def match(self, query: str) -> Forum | None:
        """Exact name, then a unique prefix, then a close spelling; None when nothing fits."""
        folded = fold(query)
        if not folded:
            return None
        exact = self.names.get(folded)
        if exact is not None:
            return exact
        prefixed = {f.id: f for name, f in self.names.items() if name.startswith(folded)}
        if len(folded) >= 3 and len(prefixed) == 1:
            return next(iter(prefixed.values()))
        best = process.extractOne(folded, list(self.names), scorer=fuzz.ratio, score_cutoff=80)
        return self.names[str(best[0])] if best else None

    def match_prefix(self, text: str) -> tuple[Forum, str] | None:
        """The longest forum or group name at the start of `text`, and what follows it."""
        words = text.split()
        for length in range(len(words), 0, -1):
            forum = self.names.get(fold(" ".join(words[:length])))
            if forum is not None:
                return forum, " ".join(words[length:])
        return None


def _names_for(forums: list[Forum]) -> dict[str, Forum]:
    names: dict[str, Forum] = {}
    by_id = {f.id: f for f in forums}
    for forum in sorted(forums, key=lambda f: f.parent_id is not None):
        own = [forum.key.split(".")[-1], forum.name, forum.name_en, *forum.aliases]
        if forum.parent_id is not None:
            parent = by_id[forum.parent_id]
            parent_words = [parent.key, *parent.aliases]
            own += [f"{p} {g}" for p in parent_words for g in own[:1] + forum.aliases]
        for name in own:
            names.setdefault(fold(name), forum)
    return names


def member_forum_ids(person: Person | None, memberships: list[ForumMember]) -> set[int]:
    return {m.forum_id for m in memberships if person is not None and m.person_id == person.id}


def is_member(forum: Forum, person_forum_ids: set[int]) -> bool:
    """Membership of the forum, of its parent forum, or of one of its groups."""
    if forum.id in person_forum_ids or forum.parent_id in person_forum_ids:
        return True
    return any(group.id in person_forum_ids for group in forum.groups)


def may_see_contacts(person: Person | None, forum: Forum, person_forum_ids: set[int]) -> bool:
    if not forum.contacts_need_to_know:
        return person is not None
    return person is not None and (person.is_admin or is_member(forum, person_forum_ids))


def may_see_meetings(person: Person | None, forum: Forum, person_forum_ids: set[int]) -> bool:
    if not forum.meetings_need_to_know:
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


def forum_name(forum: Forum, language: str) -> str:
    return forum.name_en if language == "en" else forum.name
