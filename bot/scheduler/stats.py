"""How many jobs are due and parked, by kind and target: for the metrics scrape.

Counted from the table when Prometheus asks, so the numbers are right whichever replica sent
what and survive restarts. Both queries use the index on (status, due).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.core.metrics import Metrics
from bot.scheduler.jobs import Status
from storage.db import Database
from storage.models import Job


async def record_job_counts(database: Database, metrics: Metrics, now: datetime) -> None:
    """Set the due and parked gauges from the jobs table."""
    group = (Job.kind, Job.target_kind)
    due_query = (
        select(*group, func.count())
        .where(Job.status.in_([Status.PENDING.value, Status.CLAIMED.value]), Job.due <= now)
        .group_by(*group)
    )
    parked_query = (
        select(*group, func.count()).where(Job.status == Status.PARKED.value).group_by(*group)
    )
    async with database.sessions() as session:
        due = (await session.execute(due_query)).all()
        parked = (await session.execute(parked_query)).all()
    for gauge, rows in ((metrics.jobs_due, due), (metrics.jobs_parked_now, parked)):
        gauge.clear()
        for kind, target, count in rows:
            gauge.labels(kind, target).set(count)
