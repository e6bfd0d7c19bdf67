"""Gallring: delete rows of one category older than a date, under a retention decision.

Each category names exactly what it deletes; none touches joint-message decisions, draft
versions, the audit log or attendance (those are public records kept until an archive
decision names them, and no category here does). Every run that deletes records the decision
in the audit log: category, cut-off date, decision reference and count, never the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.followup.names import REMINDER_KIND
from bot.scheduler.jobs import Status, Target
from storage.audit import Actor, record
from storage.models import Job, Meeting, ProcessedEvent, RoomLinkCode, Rsvp, slack_oauth_states

GALLRA_ACTION = "retention.gallra"
# Jobs that are over: sent, cancelled, dropped or skipped (parked ones wait for an admin).
FINISHED = (Status.DONE, Status.CANCELLED, Status.DROPPED, Status.SKIPPED)


def _finished_before(before: datetime) -> ColumnElement[bool]:
    ended = func.coalesce(Job.finished_at, Job.due)
    return and_(Job.status.in_([s.value for s in FINISHED]), ended < before)


@dataclass(frozen=True)
class Category:
    """One kind of row that may be deleted, and which of its rows are older than a date."""

    table: Any
    where: Callable[[datetime], ColumnElement[bool]]
    help_en: str


CATEGORIES: dict[str, Category] = {
    "reminders": Category(
        Job,
        lambda before: and_(Job.kind == REMINDER_KIND, _finished_before(before)),
        "personal reminders sent (or cancelled) before the date",
    ),
    "direct-messages": Category(
        Job,
        lambda before: and_(Job.target_kind == Target.PERSON.value, _finished_before(before)),
        "messages to one person (reminders, notices, nudges) delivered before the date",
    ),
    "jobs": Category(
        Job,
        _finished_before,
        "every finished scheduled send (digests, channel reminders, direct messages)",
    ),
    "events": Category(
        ProcessedEvent,
        lambda before: ProcessedEvent.at < before,
        "platform event ids handled before the date (kept only to ignore replays)",
    ),
    "room-link-codes": Category(
        RoomLinkCode,
        lambda before: RoomLinkCode.expires_at < before,
        "one-time room-link codes that expired before the date",
    ),
    "rsvps": Category(
        Rsvp,
        lambda before: Rsvp.meeting_id.in_(select(Meeting.id).where(Meeting.starts_at < before)),
        "answers to invitations of meetings held before the date (never attendance)",
    ),
    "oauth-states": Category(
        slack_oauth_states,
        lambda before: slack_oauth_states.c.expire_at < before.astimezone(UTC).replace(tzinfo=None),
        "Slack installation states that expired before the date",
    ),
}


async def count(session: AsyncSession, name: str, before: datetime) -> int:
    category = CATEGORIES[name]
    query = select(func.count()).select_from(category.table).where(category.where(before))
    return int(await session.scalar(query) or 0)


async def gallra(
    session: AsyncSession,
    name: str,
    before: datetime,
    decision: str,
    actor: Actor,
    now: datetime,
) -> int:
    """Delete the category's rows older than `before`; record the decision; return how many."""
    category = CATEGORIES[name]
    statement = delete(category.table).where(category.where(before))
    result = await session.execute(statement.execution_options(synchronize_session=False))
    deleted = int(getattr(result, "rowcount", 0) or 0)
    record(
        session,
        actor=actor,
        at=now,
        action=GALLRA_ACTION,
        entity_type="retention",
        entity_id=name,
        after={"before": before.isoformat(), "decision": decision, "deleted": deleted},
    )
    return deleted
