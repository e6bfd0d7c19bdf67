"""`meeting_attendance_ask`: after a meeting, its chair or secretary (or whoever booked it,
where the forum has neither) is asked to register attendance, with the form one press away.

Booked by the meetings planner at the meeting's end; a meeting cancelled, moved or already
registered by then renders nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reply import Button, Reply
from bot.directory.forums import forum_name
from bot.meetings.names import ATTENDANCE_ASK_KIND, ATTENDANCE_FORM_ROUTE
from bot.meetings.service import KEEPERS, SCHEDULED, meeting_id
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Attendance, ForumMember, Meeting


async def askers(session: AsyncSession, meeting: Meeting) -> list[int]:
    """The forum's (or, for a group, also the parent forum's) chair and secretary; else the
    person who booked the meeting."""
    forum = meeting.forum
    forum_ids = [forum.id] + ([forum.parent_id] if forum.parent_id else [])
    keepers = await session.scalars(
        select(ForumMember.person_id).where(
            ForumMember.forum_id.in_(forum_ids), ForumMember.role.in_(KEEPERS)
        )
    )
    found = sorted(set(keepers.all()))
    if found:
        return found
    return [meeting.created_by_person_id] if meeting.created_by_person_id else []


async def schedule_ask(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """Book the question for the meeting's end (once per meeting, start and person)."""
    due = meeting.starts_at + timedelta(minutes=meeting.duration_minutes or 60)
    start = meeting.starts_at.isoformat()
    payload = {"meeting": meeting.id, "starts_at": start}
    for person_id in await askers(session, meeting):
        await schedule(
            session,
            ATTENDANCE_ASK_KIND,
            due,
            payload,
            (Target.PERSON, person_id),
            f"attendance_ask:{meeting.id}:{start}:{person_id}",
            now,
        )


async def render(context: JobContext) -> Reply | None:
    payload = context.job.payload
    meeting = await context.session.get(Meeting, int(payload["meeting"]))
    if meeting is None or meeting.status != SCHEDULED:
        return None
    if meeting.starts_at.isoformat() != payload["starts_at"]:
        return None  # moved: the new time has a question of its own
    registered = await context.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.meeting_id == meeting.id)
    )
    if registered:
        return None
    t = context.t
    ref = meeting_id(meeting)
    return Reply(
        heading=t("people.attendance_ask.heading", id=ref),
        text=t(
            "people.attendance_ask.text",
            id=ref,
            forum=forum_name(meeting.forum, t.language),
            when=t.datetime(meeting.starts_at),
        ),
        buttons=[
            Button(
                t("meeting.button.attend_many"),
                ATTENDANCE_FORM_ROUTE,
                {"meeting": meeting.id},
                accessible_label=t("meeting.named.attend_many", id=ref),
            )
        ],
    )


KIND = JobKind(ATTENDANCE_ASK_KIND, render)
