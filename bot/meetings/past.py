"""`möten tidigare [forum]` / `meetings past [forum]`: recent meetings and whether attendance
is registered, so a chair sees at a glance which meetings still lack it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Context
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name
from bot.meetings.service import CANCELLED, Viewer, meeting_id, with_groups
from storage.models import Attendance, Meeting

PAST_WORDS = frozenset({"tidigare", "forra", "gamla", "past", "earlier", "previous"})
LOOK_BACK = timedelta(days=120)
LIMIT = 20


async def recent(
    session: AsyncSession, forum_ids: Iterable[int] | None, now: datetime, limit: int
) -> list[tuple[Meeting, int]]:
    """Meetings that have begun, newest first, each with its number of attendees (one query)."""
    counted = (
        select(Attendance.meeting_id, func.count().label("count"))
        .group_by(Attendance.meeting_id)
        .subquery()
    )
    query = (
        select(Meeting, func.coalesce(counted.c.count, 0))
        .outerjoin(counted, counted.c.meeting_id == Meeting.id)
        .where(Meeting.starts_at < now, Meeting.starts_at >= now - LOOK_BACK)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    if forum_ids is not None:
        query = query.where(Meeting.forum_id.in_(list(forum_ids)))
    return [(meeting, int(count)) for meeting, count in (await session.execute(query)).all()]


async def past(context: Context, viewer: Viewer, wanted: str) -> Reply:
    t = context.t
    forum_ids = None
    title = t("people.meetings.past_heading_all")
    if wanted:
        forum = viewer.forum_asked_for(wanted)
        forum_ids = with_groups(forum)
        title = t("people.meetings.past_heading", forum=forum_name(forum, context.language))
    # Fetch more than shown, since hidden need-to-know meetings are filtered out in memory.
    found = await recent(context.session, forum_ids, context.now(), LIMIT * 5)
    visible = [(m, n) for m, n in found if viewer.sees(m.forum)][:LIMIT]
    if not visible:
        return Reply(
            heading=title, text=t("people.meetings.past_none"), visibility=Visibility.ONLY_TO_YOU
        )
    lines = []
    for meeting, count in visible:
        if meeting.status == CANCELLED:
            state = t("people.meetings.cancelled")
        elif count:
            state = t("people.meetings.registered", count=count)
        else:
            state = t("people.meetings.not_registered")
        lines.append(
            f"`{meeting_id(meeting)}` {t.datetime(meeting.starts_at)}: "
            f"{forum_name(meeting.forum, context.language)} – {state}"
        )
    return Reply(
        heading=title,
        sections=[Section(None, lines)],
        context=t("people.meetings.past_footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )
