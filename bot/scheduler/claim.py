"""Atomic claiming of due jobs with a lease, so each job is sent by one dispatcher only.

PostgreSQL: one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, so replicas
pass over each other's rows and a batch costs one round trip. SQLite: one conditional
`UPDATE … WHERE` on the claimable state for the batch; SQLite runs one writer at a time, so
exactly one of two competing updates changes a row.
A job is claimable when it is due, pending or claimed, and any lease or retry wait has ended:
a dispatcher that died mid-send leaves its jobs to be re-taken when the lease runs out; one that
is stopped hands back the jobs it has not begun (`release_claims`) for others to take at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.scheduler.id_sets import among
from bot.scheduler.jobs import Status
from bot.scheduler.reach import UNREACHABLE
from storage.db import Database
from storage.models import Job


def claimable(now: datetime, person_id: int | None = None) -> ColumnElement[bool]:
    condition = and_(
        Job.due <= now,
        Job.status.in_([Status.PENDING.value, Status.CLAIMED.value]),
        or_(Job.claimed_until.is_(None), Job.claimed_until <= now),
    )
    if person_id is not None:
        # The terminal reaches its person now: a job waiting for a conversation goes at once.
        condition = and_(
            Job.due <= now,
            Job.status.in_([Status.PENDING.value, Status.CLAIMED.value]),
            or_(
                Job.claimed_until.is_(None),
                Job.claimed_until <= now,
                and_(Job.status == Status.PENDING.value, Job.last_error == UNREACHABLE),
            ),
            Job.target_kind == "person",
            Job.target_id == person_id,
        )
    return condition


async def claim_due(
    database: Database,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    person_id: int | None = None,
) -> list[int]:
    """Claim up to `limit` due jobs for `worker` until now + lease; their ids, soonest first.

    `person_id` limits the claim to one person's direct jobs (the terminal's `say`).
    """
    async with database.single_statement() as connection:
        if database.dialect == "postgresql":
            return await _claim_skip_locked(connection, worker, now, lease, limit, person_id)
        return await _claim_conditional(connection, worker, now, lease, limit, person_id)


async def _claim_skip_locked(
    connection: AsyncConnection,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    person_id: int | None,
) -> list[int]:
    """Lock, lease and return a batch in one statement: rows another replica has locked are
    skipped, not waited for, and the locks hold until the lease is written."""
    candidates = (
        select(Job.id)
        .where(claimable(now, person_id))
        .order_by(Job.due, Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = await connection.execute(
        update(Job)
        .where(Job.id.in_(candidates))
        .values(status=Status.CLAIMED.value, claimed_by=worker, claimed_until=now + lease)
        .returning(Job.id, Job.due)
        .execution_options(synchronize_session=False)
    )
    return [row.id for row in sorted(claimed, key=lambda row: (row.due, row.id))]


async def _claim_conditional(
    connection: AsyncConnection,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    person_id: int | None,
) -> list[int]:
    """One conditional UPDATE for the whole batch: SQLite runs one writer at a time, so the
    rows it changes are this worker's alone (RETURNING needs SQLite 3.35, from 2021)."""
    candidates = (
        select(Job.id)
        .where(claimable(now, person_id))
        .order_by(Job.due, Job.id)
        .limit(limit)
        .scalar_subquery()
    )
    claimed = await connection.execute(
        update(Job)
        .where(Job.id.in_(candidates), claimable(now, person_id))
        .values(status=Status.CLAIMED.value, claimed_by=worker, claimed_until=now + lease)
        .returning(Job.id, Job.due)
        .execution_options(synchronize_session=False)
    )
    return [row.id for row in sorted(claimed, key=lambda row: (row.due, row.id))]


async def claim_one(
    session: AsyncSession,
    job_id: int,
    worker: str,
    now: datetime,
    lease: timedelta,
    person_id: int | None = None,
) -> bool:
    """Take one job if it is still claimable: the conditional update is the lock."""
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, claimable(now, person_id))
        .values(status=Status.CLAIMED.value, claimed_by=worker, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def release_claims(database: Database, worker: str, ids: list[int]) -> int:
    """Hand back jobs `worker` claimed but has not begun: claimable again at once."""
    if not ids:
        return 0
    async with database.single_statement() as connection:
        result = await connection.execute(
            update(Job)
            .where(
                among(Job.id, ids, database.dialect),
                Job.claimed_by == worker,
                Job.status == Status.CLAIMED.value,
            )
            .values(status=Status.PENDING.value, claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)
