"""Meeting reminder kinds: `meeting_day_before` (channel), `meeting_hour` (books the personal
ones) and `meeting_personal` (direct). A cancelled or moved meeting renders nothing; a reminder
for a meeting that has already begun is dropped as stale.
"""

from __future__ import annotations

from datetime import timedelta

from bot.channels.audience import recipient_sees
from bot.core.reply import Reply
from bot.directory.forums import forum_name
from bot.meetings.names import DAY_BEFORE_KIND, HOUR_KIND, PERSONAL_KIND
from bot.meetings.service import SCHEDULED, meeting_id, reminder_recipients
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.kind import JobContext, JobKind
from storage.models import Meeting


async def _current(context: JobContext) -> Meeting | None:
    payload = context.job.payload
    meeting = await context.session.get(Meeting, int(payload["meeting"]))
    if meeting is None or meeting.status != SCHEDULED:
        return None
    if meeting.starts_at.isoformat() != payload["starts_at"] or meeting.starts_at <= context.now:
        return None
    sent_to_someone = context.person is not None or context.channel is not None
    if sent_to_someone and not await recipient_sees(
        context.session, meeting.forum_id, person=context.person, channel=context.channel
    ):
        return None  # the channel's binding or the person's membership has changed since
    return meeting


def _text(context: JobContext, meeting: Meeting, key: str) -> Reply:
    t = context.t
    place = meeting.place or t("meeting_reminder.no_place")
    return Reply(
        heading=t(f"{key}.heading"),
        text=t(
            f"{key}.text",
            id=meeting_id(meeting),
            forum=forum_name(meeting.forum, t.language),
            when=t.datetime(meeting.starts_at),
            place=place,
        ),
    )


async def day_before(context: JobContext) -> Reply | None:
    meeting = await _current(context)
    return _text(context, meeting, "meeting_reminder.day_before") if meeting else None


async def hour_before(context: JobContext) -> None:
    meeting = await _current(context)
    if meeting is None:
        return
    start = meeting.starts_at.isoformat()
    for person_id in await reminder_recipients(context.session, meeting.id):
        await schedule(
            context.session,
            PERSONAL_KIND,
            context.now,
            dict(context.job.payload),
            (Target.PERSON, person_id),
            f"meeting_personal:{meeting.id}:{start}:{person_id}",
            context.now,
        )


async def personal(context: JobContext) -> Reply | None:
    meeting = await _current(context)
    return _text(context, meeting, "meeting_reminder.soon") if meeting else None


DAY_BEFORE = JobKind(DAY_BEFORE_KIND, day_before, stale_after=timedelta(hours=12))
HOUR = JobKind(HOUR_KIND, hour_before, stale_after=timedelta(minutes=50))
PERSONAL = JobKind(PERSONAL_KIND, personal, stale_after=timedelta(minutes=50))
KINDS = (DAY_BEFORE, HOUR, PERSONAL)
