"""Joint messages in figures for the yearly follow-up: drafted, approved by both, withdrawn,
published, per kind of draft (`message`, `press_conference`, …), in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.drafts.service import WITHDRAW
from storage.models import Approval, Draft
from storage.models_publications import Publication


@dataclass
class MessageFigures:
    """One kind of draft in a period: each count by when it happened, not by when drafted."""

    drafted: int = 0
    approved: int = 0
    withdrawn: int = 0
    published: int = 0  # drafts with at least one publication recorded in the period


async def message_figures(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[str, MessageFigures]:
    """Figures per draft kind for [start, end); kinds with nothing in the period are left out."""
    found: dict[str, MessageFigures] = defaultdict(MessageFigures)
    drafted = await session.execute(
        select(Draft.kind, func.count(Draft.id))
        .where(Draft.created_at >= start, Draft.created_at < end)
        .group_by(Draft.kind)
    )
    for kind, count in drafted.all():
        found[kind].drafted = int(count)
    approved = await session.execute(
        select(Draft.kind, func.count(Draft.id))
        .where(Draft.approved_at >= start, Draft.approved_at < end)
        .group_by(Draft.kind)
    )
    for kind, count in approved.all():
        found[kind].approved = int(count)
    withdrawn = await session.execute(
        select(Draft.kind, func.count(distinct(Approval.draft_id)))
        .join(Draft, Draft.id == Approval.draft_id)
        .where(Approval.decision == WITHDRAW, Approval.at >= start, Approval.at < end)
        .group_by(Draft.kind)
    )
    for kind, count in withdrawn.all():
        found[kind].withdrawn = int(count)
    published = await session.execute(
        select(Draft.kind, func.count(distinct(Publication.draft_id)))
        .join(Draft, Draft.id == Publication.draft_id)
        .where(Publication.published_at >= start, Publication.published_at < end)
        .group_by(Draft.kind)
    )
    for kind, count in published.all():
        found[kind].published = int(count)
    return dict(found)
