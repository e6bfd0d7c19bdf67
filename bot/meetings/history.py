"""Where each held meeting's figures come from, for the follow-up report to say so honestly:
recorded with the bot or imported from minutes (`samverkan import meetings`), and whether any
attendance is known at all ("närvaro saknas för 3 möten").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.service import SCHEDULED
from storage.models import Attendance, Meeting

# The `source` of meetings and attendance that `samverkan import meetings` wrote.
IMPORTED = "import"


@dataclass(frozen=True)
class MeetingSource:
    meeting_id: int
    forum_id: int
    source: str  # `bot` or `import`
    attendance: int  # attendance rows, whatever their source
    imported_attendance: int  # of which from minutes

    @property
    def imported(self) -> bool:
        return self.source == IMPORTED or self.imported_attendance > 0

    @property
    def attendance_missing(self) -> bool:
        return self.attendance == 0


async def meeting_sources_between(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    forum_ids: Iterable[int] | None = None,
) -> dict[int, MeetingSource]:
    """Held (not cancelled) meetings starting in [start, end), by id, in one query.

    `forum_ids` limits them to forums the reader may see (the caller applies need-to-know,
    with the groups of each forum included, as `bot.meetings.service.with_groups` gives them).
    """
    imported = func.sum(case((Attendance.source == IMPORTED, 1), else_=0))
    query = (
        select(Meeting.id, Meeting.forum_id, Meeting.source, func.count(Attendance.id), imported)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Meeting.status == SCHEDULED, Meeting.starts_at >= start, Meeting.starts_at < end)
        .group_by(Meeting.id, Meeting.forum_id, Meeting.source)
    )
    if forum_ids is not None:
        query = query.where(Meeting.forum_id.in_(list(forum_ids)))
    rows = (await session.execute(query)).all()
    return {
        meeting: MeetingSource(meeting, forum, source, int(count), int(from_minutes or 0))
        for meeting, forum, source, count, from_minutes in rows
    }
