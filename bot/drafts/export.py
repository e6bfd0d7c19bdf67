"""The drafts' full history for the registrar (*registrator*): every version and decision.

Joint messages and the decisions on them are public records (*allmän handling*); this writes
them in an archivable form, one row per event, with who, when and each version's hash.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.drafts.service import draft_ref
from storage.models import Approval, Draft, DraftVersion

COLUMNS = (
    "draft",
    "event",
    "version",
    "at",
    "person",
    "organisation",
    "comment",
    "title",
    "text",
    "targets",
    "planned_at",
    "content_hash",
    "state_now",
)


@dataclass(frozen=True)
class Row:
    draft: str
    event: str
    version: int
    at: str
    person: str
    organisation: str
    comment: str
    title: str
    text: str
    targets: str
    planned_at: str
    content_hash: str
    state_now: str


async def history(session: AsyncSession, start: datetime, end: datetime) -> list[Row]:
    """Every event of every draft that had any event in [start, end), oldest first.

    A draft's whole history is included, so each exported draft can be read on its own.
    """
    touched_versions = select(DraftVersion.draft_id).where(
        DraftVersion.created_at >= start, DraftVersion.created_at < end
    )
    touched_decisions = select(Approval.draft_id).where(Approval.at >= start, Approval.at < end)
    drafts = (
        await session.scalars(
            select(Draft)
            .where(or_(Draft.id.in_(touched_versions), Draft.id.in_(touched_decisions)))
            .order_by(Draft.id)
        )
    ).all()
    rows: list[tuple[datetime, int, Row]] = []
    for draft in drafts:
        for version in draft.versions:
            rows.append(
                (
                    version.created_at,
                    0,
                    Row(
                        draft=draft_ref(draft),
                        event="version",
                        version=version.number,
                        at=version.created_at.isoformat(),
                        person=version.created_by.name,
                        organisation=version.created_by.organization.key,
                        comment=version.hold or "",
                        title=version.title,
                        text=version.text,
                        targets=",".join(version.targets),
                        planned_at=version.planned_at.isoformat() if version.planned_at else "",
                        content_hash=version.content_hash,
                        state_now=draft.state,
                    ),
                )
            )
        by_number = {v.number: v for v in draft.versions}
        for decision in draft.decisions:
            rows.append(
                (
                    decision.at,
                    1,
                    Row(
                        draft=draft_ref(draft),
                        event=decision.decision,
                        version=decision.version,
                        at=decision.at.isoformat(),
                        person=decision.person.name,
                        organisation=decision.organization.key,
                        comment=decision.comment or "",
                        title="",
                        text="",
                        targets="",
                        planned_at="",
                        content_hash=by_number[decision.version].content_hash,
                        state_now=draft.state,
                    ),
                )
            )
    rows.sort(key=lambda item: (int(item[2].draft[1:]), item[0], item[1]))
    return [row for _at, _order, row in rows]


def to_csv(rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return buffer.getvalue()


def to_json(rows: list[Row]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2) + "\n"
