"""Scheduling API: put a job in the database once, however often it is asked for."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Job


class Status(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    PARKED = "parked"  # failed too often; an admin has been told
    DROPPED = "dropped"  # stale: its moment passed during downtime
    SKIPPED = "skipped"  # nothing to send any more, or nowhere to send it
    CANCELLED = "cancelled"


class Target(StrEnum):
    CHANNEL = "channel"
    PERSON = "person"
    SYSTEM = "system"  # housekeeping (planning): rendered, nothing is sent


SYSTEM = (Target.SYSTEM, 0)


async def schedule(
    session: AsyncSession,
    kind: str,
    due: datetime,
    payload: dict[str, Any],
    target: tuple[Target, int],
    dedupe_key: str,
    now: datetime,
) -> bool:
    """Add a job unless one with the same dedupe key exists; True if this call added it.

    An INSERT … ON CONFLICT DO NOTHING, so two replicas scheduling the same reminder at the
    same moment still make one job.
    """
    if due.tzinfo is None:
        raise ValueError("due must be an aware datetime")
    values = {
        "kind": kind,
        "due": due,
        "payload": payload,
        "target_kind": target[0].value,
        "target_id": target[1],
        "status": Status.PENDING.value,
        "attempts": 0,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "late": False,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Job).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def cancel(session: AsyncSession, dedupe_key: str, now: datetime) -> bool:
    """Cancel a job not yet sent; True if there was one."""
    result = await session.execute(
        update(Job)
        .where(Job.dedupe_key == dedupe_key, Job.status == Status.PENDING.value)
        .values(status=Status.CANCELLED.value, finished_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def pending_for(session: AsyncSession, kind: str, target: tuple[Target, int]) -> list[Job]:
    """Jobs of one kind still to be sent to one target, soonest first."""
    query = (
        select(Job)
        .where(
            Job.kind == kind,
            Job.target_kind == target[0].value,
            Job.target_id == target[1],
            Job.status.in_([Status.PENDING.value, Status.CLAIMED.value]),
        )
        .order_by(Job.due, Job.id)
    )
    return list((await session.scalars(query)).all())
