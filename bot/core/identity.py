"""Who is asking: a platform user resolved to a Person through a stored identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.request import PlatformUser, Request
from bot.scheduler.reach import wake_waiting
from storage.audit import Actor, record
from storage.models import Identity, Person


async def resolve_person(session: AsyncSession, request: Request, now: datetime) -> Person | None:
    """The Person behind the request, linking by work e-mail the first time one matches."""
    if request.person_id is not None:
        person = await session.get(Person, request.person_id)
        return person if person is not None and person.active else None
    user = request.user
    query = (
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(
            Identity.platform == user.platform,
            Identity.workspace == user.workspace,
            Identity.user_id == user.user_id,
        )
    )
    person = await session.scalar(query)
    if person is not None:
        return person if person.active else None
    return await link_by_email(session, user, now)


async def link_by_email(session: AsyncSession, user: PlatformUser, now: datetime) -> Person | None:
    """Link an unlinked platform user whose e-mail (as the platform vouches for it) is a
    Person's; the adapter passes an e-mail only for users of allowed workspaces."""
    if not user.email:
        return None
    person = await session.scalar(
        select(Person).where(func.lower(Person.email) == user.email.lower(), Person.active)
    )
    if person is None:
        return None
    # Two first messages from one person can arrive together (a double click, a Teams retry
    # beside the user's next line): the link that is stored first wins, and the other request
    # simply goes on as that person, linked once and audited once. An insert that skips a
    # conflict, not a savepoint: SQLite's driver would let RELEASE commit a savepoint opened
    # before its transaction, and a refused form must roll the link back with the rest.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    added = await session.execute(
        insert(Identity)
        .values(
            person_id=person.id,
            platform=user.platform,
            workspace=user.workspace,
            user_id=user.user_id,
            linked_by="email",
        )
        .on_conflict_do_nothing(index_elements=["platform", "workspace", "user_id"])
    )
    if not getattr(added, "rowcount", 0):
        return person
    await wake_waiting(session, person.id)
    record(
        session,
        actor=Actor.of(person, user.platform),
        at=now,
        action="identity.link",
        entity_type="identity",
        # The workspace goes in `after`: Teams tenant + AAD ids would outgrow the id column.
        entity_id=f"{user.platform}:{user.user_id}",
        after={"person": person.name, "linked_by": "email", "workspace": user.workspace},
    )
    return person
