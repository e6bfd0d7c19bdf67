"""Meeting reminders: the forum's channel the day before, and those coming an hour before.

The day-before reminder goes to the channels the meeting's card goes to (the forum's own, or
the forum above a group), so a need-to-know meeting is never announced anywhere else. The
hour-before one is a housekeeping job that, at that moment, books one direct message per
person who answered "Jag kommer", so late answers are included. Keys carry the start time: a
moved meeting gets new reminders, and the old ones render nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.channels.bindings import PURPOSE_FORUM, channels_bound_to
from bot.meetings.job_attendance_ask import schedule_ask
from bot.meetings.names import DAY_BEFORE_KIND, HOUR_KIND
from bot.meetings.service import SCHEDULED
from bot.scheduler.jobs import SYSTEM, Target, schedule
from bot.scheduler.planning import PlanWindow
from bot.scheduler.workdays import local_moment, working_day_on_or_before
from storage.models import Meeting

HOUR_BEFORE = timedelta(hours=1)


def meeting_payload(meeting: Meeting) -> dict[str, object]:
    return {"meeting": meeting.id, "starts_at": meeting.starts_at.isoformat()}


async def plan(window: PlanWindow) -> None:
    meetings = (
        (
            await window.session.scalars(
                select(Meeting).where(
                    Meeting.status == SCHEDULED,
                    Meeting.starts_at > window.now,
                    Meeting.starts_at <= window.end + timedelta(days=1),
                )
            )
        )
        .unique()
        .all()
    )
    for meeting in meetings:
        # After the meeting its keepers are asked to register attendance.
        await schedule_ask(window.session, meeting, window.now)
        start = meeting.starts_at.isoformat()
        local_day = meeting.starts_at.astimezone(window.tz).date()
        day_before = local_moment(
            working_day_on_or_before(local_day - timedelta(days=1)),
            window.settings.morning,
            window.tz,
        )
        if window.covers(day_before) and day_before < meeting.starts_at:
            channels = await channels_bound_to(window.session, PURPOSE_FORUM, meeting.forum_id)
            if not channels and meeting.forum.parent_id is not None:
                channels = await channels_bound_to(
                    window.session, PURPOSE_FORUM, meeting.forum.parent_id
                )
            for channel in channels:
                await schedule(
                    window.session,
                    DAY_BEFORE_KIND,
                    day_before,
                    meeting_payload(meeting),
                    (Target.CHANNEL, channel.id),
                    f"meeting_day_before:{meeting.id}:{start}:{channel.id}",
                    window.now,
                )
        hour_before = meeting.starts_at - HOUR_BEFORE
        if window.covers(hour_before):
            await schedule(
                window.session,
                HOUR_KIND,
                hour_before,
                meeting_payload(meeting),
                SYSTEM,
                f"meeting_hour:{meeting.id}:{start}",
                window.now,
            )
