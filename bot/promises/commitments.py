"""Commitments (`L7`): made, changed and followed, with a history row for every change.

The community police officer, the Brå coordinator and admins add and edit them; the owner may
also set the status and record the outcome. A commitment is overdue when it is open and its own
date has passed, or when a tertial report's date has passed without a status update since its
owner was asked (REQUEST_LEAD_DAYS before the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import on_year
from bot.common.ids import IdKind, TypedId
from bot.core.context import CommandError, Context
from bot.promises.documents import check_text, may_edit
from bot.promises.words import CLOSED, NOT_STARTED, STATUSES
from bot.scheduler.workdays import working_day_on_or_before
from storage.models import Agreement, Person
from storage.models_lifecycle import Commitment, CommitmentEvent, FocusArea, PromiseDocument

REQUEST_LEAD_DAYS = 14
MAX_TEXT = 1000
MAX_COMMENT = 500
MAX_UNIT = 80


def commitment_ref(item: Commitment | int) -> str:
    number = item if isinstance(item, int) else item.id
    return str(TypedId(IdKind.COMMITMENT, number))


def may_update(person: Person, item: Commitment) -> bool:
    return may_edit(person) or person.id == item.owner_id


@dataclass(frozen=True)
class New:
    text: str
    party: str
    area: FocusArea | None
    owner: Person | None
    target_count: int | None
    target_unit: str | None
    due: date | None


def _clean_comment(comment: str | None) -> str | None:
    comment = " ".join((comment or "").split())
    if not comment:
        return None
    if len(comment) > MAX_COMMENT:
        raise CommandError("promises.error.too_long", limit=MAX_COMMENT)
    check_text(comment)
    return comment


def _check_new(new: New) -> None:
    if not new.text.strip():
        raise CommandError("promises.error.text_missing")
    if len(new.text) > MAX_TEXT:
        raise CommandError("promises.error.too_long", limit=MAX_TEXT)
    check_text(new.text)
    if new.target_unit:
        check_text(new.target_unit)


def _event(
    context: Context, item: Commitment, change: str, comment: str | None = None
) -> CommitmentEvent:
    event = CommitmentEvent(
        agreement_id=item.agreement_id,
        commitment_id=item.id,
        at=context.now(),
        person_id=context.require_person().id,
        platform=context.request.user.platform,
        change=change,
        status=item.status,
        outcome=item.outcome,
        comment=comment,
    )
    context.session.add(event)
    return event


def _record(item: Commitment) -> dict[str, object]:
    return {
        "text": item.text,
        "party": item.party,
        "owner_id": item.owner_id,
        "focus_area_id": item.focus_area_id,
        "target_count": item.target_count,
        "target_unit": item.target_unit,
        "outcome": item.outcome,
        "status": item.status,
        "due": item.due.isoformat() if item.due else None,
    }


async def add(context: Context, document: PromiseDocument, new: New) -> Commitment:
    _check_new(new)
    person = context.require_person()
    now = context.now()
    item = Commitment(
        agreement_id=document.agreement_id,
        document_id=document.id,
        focus_area_id=new.area.id if new.area else None,
        party=new.party,
        text=new.text.strip(),
        owner_id=new.owner.id if new.owner else None,
        target_count=new.target_count,
        target_unit=new.target_unit,
        outcome=0,
        status=NOT_STARTED,
        due=new.due,
        created_by_id=person.id,
        created_at=now,
        updated_at=now,
    )
    context.session.add(item)
    await context.session.flush()
    _event(context, item, "created")
    context.audit(
        "commitment.create",
        "commitment",
        commitment_ref(item),
        None,
        {**_record(item), "year": document.year},
    )
    return item


async def load(session: AsyncSession, number: int) -> Commitment | None:
    return await session.scalar(
        select(Commitment).where(Commitment.id == number).execution_options(populate_existing=True)
    )


async def require(context: Context, number: int) -> Commitment:
    item = await load(context.session, number)
    if item is None:
        raise CommandError("promises.error.not_found", id=commitment_ref(number))
    return item


def _require_updater(context: Context, item: Commitment) -> Person:
    person = context.require_person()
    if not may_update(person, item):
        raise CommandError("promises.error.not_allowed", id=commitment_ref(item))
    return person


async def set_status(
    context: Context, item: Commitment, status: str, comment: str | None
) -> Commitment:
    _require_updater(context, item)
    if status not in STATUSES:
        raise CommandError("promises.error.bad_status")
    comment = _clean_comment(comment)
    before = _record(item)
    item.status = status
    item.updated_at = context.now()
    _event(context, item, "status", comment)
    context.audit(
        "commitment.status",
        "commitment",
        commitment_ref(item),
        {"status": before["status"]},
        {"status": status, "comment": comment},
    )
    await context.session.flush()
    return item


async def set_outcome(
    context: Context, item: Commitment, value: int, relative: bool, comment: str | None
) -> Commitment:
    _require_updater(context, item)
    comment = _clean_comment(comment)
    new = item.outcome + value if relative else value
    if new < 0:
        raise CommandError("promises.error.bad_outcome")
    before = item.outcome
    item.outcome = new
    item.updated_at = context.now()
    _event(context, item, "outcome", comment)
    context.audit(
        "commitment.outcome",
        "commitment",
        commitment_ref(item),
        {"outcome": before},
        {"outcome": new, "comment": comment},
    )
    await context.session.flush()
    return item


async def edit(context: Context, item: Commitment, changes: dict[str, object]) -> Commitment:
    """Change text, party, owner, focus area, target or date (editors only)."""
    person = context.require_person()
    if not may_edit(person):
        raise CommandError("promises.error.not_editor")
    if not changes:
        raise CommandError("promises.error.nothing_to_change")
    before = _record(item)
    for name, value in changes.items():
        if name == "text":
            text = str(value).strip()
            _check_new(New(text, item.party, None, None, None, None, None))
            item.text = text
        elif name == "target_unit" and value is not None:
            check_text(str(value))
            item.target_unit = str(value)
        else:
            setattr(item, name, value)
    _event(context, item, "edit")
    after = _record(item)
    changed = [k for k in after if after[k] != before[k]]
    context.audit(
        "commitment.edit",
        "commitment",
        commitment_ref(item),
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )
    await context.session.flush()
    return item


async def history(session: AsyncSession, item: Commitment) -> list[CommitmentEvent]:
    rows = await session.scalars(
        select(CommitmentEvent)
        .where(CommitmentEvent.commitment_id == item.id)
        .order_by(CommitmentEvent.at, CommitmentEvent.id)
    )
    return list(rows.unique().all())


async def of_years(session: AsyncSession, years: list[int]) -> list[Commitment]:
    """The commitments of the given years' documents, in the order they were made."""
    rows = await session.scalars(
        select(Commitment)
        .join(PromiseDocument, PromiseDocument.id == Commitment.document_id)
        .where(PromiseDocument.year.in_(years))
        .order_by(Commitment.id)
    )
    return list(rows.unique().all())


# --- being overdue ------------------------------------------------------------------------


def report_days(agreement: Agreement, year: int) -> list[tuple[str, date]]:
    """The points before which owners are asked about the year's commitments, with dates."""
    found = []
    for event in agreement.cycle_events:
        if event.status_request == "this_year":
            found.append((event.key, on_year(event, year)))
        elif event.status_request == "last_year":
            found.append((event.key, on_year(event, year + 1)))
    return sorted(found, key=lambda pair: pair[1])


def asked_on(report: date) -> date:
    """When the owners were asked, for a report on that date (a working day at the latest)."""
    return working_day_on_or_before(report - timedelta(days=REQUEST_LEAD_DAYS))


@dataclass(frozen=True)
class Overdue:
    item: Commitment
    reason: str  # due | no_update
    day: date


def overdue(item: Commitment, agreement: Agreement, today: date, tz: ZoneInfo) -> Overdue | None:
    """Why an open commitment is overdue, or None."""
    if item.status in CLOSED:
        return None
    if item.due is not None and item.due < today:
        return Overdue(item, "due", item.due)
    updated = _local_day(item.updated_at, tz)
    passed = [day for _key, day in report_days(agreement, item.document.year) if day < today]
    if passed and updated < asked_on(max(passed)):
        return Overdue(item, "no_update", max(passed))
    return None


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
