"""The directory in memory: forums, organisations, people and memberships, reused while current.

Directory questions are most of what staff ask, and the directory changes a few times a week.
Each process therefore keeps one frozen copy and checks it per request with a single indexed
read of `directory_version`, a counter that database triggers bump on every change (migration
0007) — whichever replica, command, import or hand edit made it. The same read tells who is
asking, so a directory answer costs one statement and no ORM work.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.request import Request
from bot.directory.forums import ROLE_ORDER, ForumIndex
from bot.directory.views import ForumView, MemberView, OrgView, PersonView
from storage.db import Database
from storage.models import DirectoryVersion, Forum, ForumMember, Identity, Organization, Person

_version = DirectoryVersion.__table__.c
_identity = Identity.__table__.c

# Built once: the statement's compiled form is cached by SQLAlchemy across requests.
VERSION_AND_IDENTITY = (
    select(_version.version, _identity.person_id)
    .select_from(
        DirectoryVersion.__table__.outerjoin(
            Identity.__table__,
            and_(
                _identity.platform == bindparam("platform"),
                _identity.workspace == bindparam("workspace"),
                _identity.user_id == bindparam("user_id"),
            ),
        )
    )
    .where(_version.id == 1)
)
VERSION = select(_version.version).where(_version.id == 1)


@dataclass(frozen=True)
class Directory:
    """One consistent copy of the directory, as of `version`."""

    version: int
    organizations: tuple[OrgView, ...]
    people: Mapping[int, PersonView]  # active people only
    index: ForumIndex[ForumView]
    members: Mapping[int, tuple[MemberView, ...]]  # forum id → active members, chair first
    memberships: Mapping[int, frozenset[int]]  # person id → the forums they belong to
    roles: Mapping[int, tuple[MemberView, ...]]  # active person id → their places in forums

    def members_of(self, forum_ids: Iterable[int]) -> list[MemberView]:
        return [m for forum_id in forum_ids for m in self.members.get(forum_id, ())]

    def organization(self, org_id: int) -> OrgView:
        return next(o for o in self.organizations if o.id == org_id)

    def forum_ids_of(self, person: PersonView | None) -> frozenset[int]:
        return self.memberships.get(person.id, frozenset()) if person is not None else frozenset()


@dataclass(frozen=True)
class Asker:
    """Who sent a request, as the directory knows them."""

    person: PersonView | None
    # False: no identity is linked yet, so the full path may still link one by e-mail.
    known: bool


async def load_directory(connection: AsyncConnection) -> Directory:
    """Read the whole directory in five statements, whatever its size.

    The version is read first, so the rows read after it are at least that new; a change in
    between makes the next request see a higher version and load again.
    """
    version = int((await connection.execute(VERSION)).scalar_one())
    org = Organization.__table__.c
    orgs = tuple(
        OrgView(row.id, row.key, row.name, row.short_name)
        for row in await connection.execute(
            select(org.id, org.key, org.name, org.short_name).order_by(org.id)
        )
    )
    p = Person.__table__.c
    people = {
        row.id: PersonView(
            id=row.id,
            name=row.name,
            title=row.title or "",
            email=row.email,
            phone=row.phone,
            organization_id=row.organization_id,
            roles=tuple(row.roles or ()),
            language=row.language,
            demo=bool(row.demo),
        )
        for row in await connection.execute(
            select(
                p.id,
                p.name,
                p.title,
                p.email,
                p.phone,
                p.organization_id,
                p.roles,
                p.language,
                p.demo,
            ).where(p.active)
        )
    }
    index = ForumIndex.of(await _forums(connection))
    members: defaultdict[int, list[MemberView]] = defaultdict(list)
    roles: defaultdict[int, list[MemberView]] = defaultdict(list)
    memberships: defaultdict[int, set[int]] = defaultdict(set)
    m = ForumMember.__table__.c
    for row in await connection.execute(select(m.forum_id, m.person_id, m.role).order_by(m.id)):
        memberships[row.person_id].add(row.forum_id)
        person = people.get(row.person_id)
        if person is not None:
            member = MemberView(row.forum_id, row.role, person)
            members[row.forum_id].append(member)
            roles[row.person_id].append(member)
    return Directory(
        version=version,
        organizations=orgs,
        people=people,
        index=index,
        members={
            forum_id: tuple(sorted(found, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.name)))
            for forum_id, found in members.items()
        },
        memberships={person_id: frozenset(ids) for person_id, ids in memberships.items()},
        roles={person_id: tuple(found) for person_id, found in roles.items()},
    )


async def _forums(connection: AsyncConnection) -> list[ForumView]:
    f = Forum.__table__.c
    rows = list(
        await connection.execute(
            select(
                f.id,
                f.key,
                f.parent_id,
                f.name,
                f.name_en,
                f.aliases,
                f.expected_orgs,
                f.no_personal_text,
                f.meetings_need_to_know,
                f.contacts_need_to_know,
            ).order_by(f.sort_order, f.id)
        )
    )

    def view(row: Row[*tuple[Any, ...]], groups: tuple[ForumView, ...]) -> ForumView:
        return ForumView(
            id=row.id,
            key=row.key,
            parent_id=row.parent_id,
            name=row.name,
            name_en=row.name_en,
            aliases=tuple(row.aliases or ()),
            expected_orgs=tuple(row.expected_orgs or ()),
            no_personal_text=bool(row.no_personal_text),
            meetings_need_to_know=bool(row.meetings_need_to_know),
            contacts_need_to_know=bool(row.contacts_need_to_know),
            groups=groups,
        )

    # Groups sit one level below a forum: build them first, then the forums that hold them.
    groups: defaultdict[int, list[ForumView]] = defaultdict(list)
    built: dict[int, ForumView] = {}
    for row in rows:
        if row.parent_id is not None:
            group = view(row, ())
            groups[row.parent_id].append(group)
            built[row.id] = group
    for row in rows:
        if row.parent_id is None:
            built[row.id] = view(row, tuple(groups.get(row.id, ())))
    return [built[row.id] for row in rows]


class DirectoryCache:
    """The process's current `Directory`, reloaded once when the database says it changed."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # Reads only: on PostgreSQL autocommit saves the BEGIN and ROLLBACK round trips around
        # the one statement (SQLite's driver opens no transaction for a SELECT anyway).
        self._engine = (
            database.engine.execution_options(isolation_level="AUTOCOMMIT")
            if database.dialect == "postgresql"
            else database.engine
        )
        self._current: Directory | None = None
        self._lock = asyncio.Lock()
        self.loads = 0  # how many times the directory was read in full (for /metrics and tests)

    async def asker(self, request: Request) -> tuple[Directory, Asker]:
        """The current directory and the asker, in one statement when nothing changed."""
        async with self._engine.connect() as connection:
            if request.person_id is not None:
                version = int((await connection.execute(VERSION)).scalar_one())
                person_id: int | None = request.person_id
            else:
                user = request.user
                row = (
                    await connection.execute(
                        VERSION_AND_IDENTITY,
                        {
                            "platform": user.platform,
                            "workspace": user.workspace,
                            "user_id": user.user_id,
                        },
                    )
                ).one()
                version, person_id = int(row.version), row.person_id
        directory = await self.current(version)
        person = directory.people.get(person_id) if person_id is not None else None
        return directory, Asker(person, known=person_id is not None)

    async def current(self, version: int | None = None) -> Directory:
        """The directory as of `version` (None: ask the database which version is current).

        Any other version means a reload, a lower one too: after a database restore the
        counter goes back, and the copy in memory would otherwise outlive the data.
        """
        if version is None:
            async with self._engine.connect() as connection:
                version = int((await connection.execute(VERSION)).scalar_one())
        found = self._current
        if found is not None and found.version == version:
            return found
        async with self._lock:  # one reload, however many requests noticed the change
            found = self._current
            if found is not None and found.version == version:
                return found
            async with self.database.engine.connect() as connection:
                found = await load_directory(connection)
            self._current = found
            self.loads += 1
            return found
