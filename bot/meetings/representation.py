"""Representation: was each expected party present? The agreement's core promise, measured.

A meeting is *represented* for an organisation when at least one of its people attended.
Only held meetings count (started, not cancelled); RSVPs never count. The figures come from
a fixed number of queries whatever the number of meetings, so a five-year report stays fast.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.periods import Period
from bot.directory.forums import ForumIndex
from bot.meetings.service import SCHEDULED, expected_orgs
from storage.models import Attendance, Forum, Meeting, Organization


@dataclass(frozen=True)
class HeldMeeting:
    """Just what the figures need of a meeting: no ORM object per row."""

    id: int
    forum_id: int
    starts_at: datetime


@dataclass
class OrgFigures:
    organisation: Organization
    represented: int = 0
    missing: list[HeldMeeting] = field(default_factory=list)


@dataclass
class ForumFigures:
    forum: Forum
    held: int = 0
    per_org: list[OrgFigures] = field(default_factory=list)

    def rate(self, figures: OrgFigures) -> int:
        return round(100 * figures.represented / self.held) if self.held else 0


@dataclass(frozen=True)
class HeldMeetings:
    """The held meetings of a period and which organisations attended each: loaded once, so a
    report can count the whole period and each of its years from the same rows."""

    owner: dict[int, Forum]  # forum or group id → the forum it is counted under
    meetings: list[HeldMeeting]
    present: set[tuple[int, int]]  # (meeting id, organisation id)
    orgs: dict[str, Organization]

    def without_attendance(self, meetings: list[HeldMeeting]) -> list[HeldMeeting]:
        """Meetings with nobody's attendance registered: a gap in the data, not an absence."""
        registered = {meeting_pk for meeting_pk, _ in self.present}
        return [meeting for meeting in meetings if meeting.id not in registered]


async def load_held(
    session: AsyncSession,
    forums: list[Forum],
    period: Period,
    tz: ZoneInfo,
    now: datetime,
) -> HeldMeetings:
    """The held meetings of the forums (a top-level forum includes its groups), in three queries."""
    start, end = period.bounds(tz)
    end = min(end, now)
    owner: dict[int, Forum] = {}
    for forum in forums:
        owner[forum.id] = forum
        if forum.parent_id is None:
            for group in forum.groups:
                owner.setdefault(group.id, forum)
    window = (
        Meeting.forum_id.in_(list(owner)),
        Meeting.status == SCHEDULED,
        Meeting.starts_at >= start,
        Meeting.starts_at < end,
    )
    rows = await session.execute(
        select(Meeting.id, Meeting.forum_id, Meeting.starts_at)
        .where(*window)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    meetings = [HeldMeeting(*row) for row in rows.all()]
    present: set[tuple[int, int]] = set()
    if meetings:
        attended = await session.execute(
            select(Attendance.meeting_id, Attendance.organization_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(*window)
            .distinct()
        )
        present = {(meeting_pk, org_pk) for meeting_pk, org_pk in attended.all()}
    orgs = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    return HeldMeetings(owner, meetings, present, orgs)


def figures_of(
    held_meetings: HeldMeetings,
    index: ForumIndex[Forum],
    forums: list[Forum],
    meetings: list[HeldMeeting] | None = None,
) -> list[ForumFigures]:
    """Figures per forum from loaded rows (all of them, or a part such as one year's)."""
    by_forum: dict[int, list[HeldMeeting]] = defaultdict(list)
    owner = held_meetings.owner
    for meeting in held_meetings.meetings if meetings is None else meetings:
        by_forum[owner[meeting.forum_id].id].append(meeting)
    result = []
    for forum in forums:
        held = by_forum.get(forum.id, [])
        figures = ForumFigures(forum, held=len(held))
        for key in expected_orgs(forum, index):
            organisation = held_meetings.orgs.get(key)
            if organisation is None:
                continue
            org_figures = OrgFigures(organisation)
            for meeting in held:
                if (meeting.id, organisation.id) in held_meetings.present:
                    org_figures.represented += 1
                else:
                    org_figures.missing.append(meeting)
            figures.per_org.append(org_figures)
        result.append(figures)
    return result


async def representation(
    session: AsyncSession,
    index: ForumIndex[Forum],
    forums: list[Forum],
    period: Period,
    tz: ZoneInfo,
    now: datetime,
) -> list[ForumFigures]:
    """Figures per forum (a top-level forum includes its groups), in three queries."""
    held = await load_held(session, forums, period, tz, now)
    return figures_of(held, index, forums)
