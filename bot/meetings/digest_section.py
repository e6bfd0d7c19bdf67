"""Digest sections: last week's meetings with representation per party, and this week's.

Meetings of restricted forums appear only to the digest's audience when it may see them (see
`bot.channels.audience`). A fixed number of queries whatever the number of meetings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.channels.audience import ForumTree
from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection
from bot.directory.forums import ForumIndex, forum_name, load_forum_index
from bot.meetings.service import (
    SCHEDULED,
    attendance_by_meeting,
    expected_orgs,
    organisations,
)
from storage.models import Forum, Meeting


def _start(day: date, context: DigestContext) -> datetime:
    return datetime.combine(day, time(0), tzinfo=context.tz).astimezone(UTC)


async def _meetings(
    context: DigestContext, index: ForumIndex[Forum], first: date, last: date
) -> list[Meeting]:
    found = (
        (
            await context.session.scalars(
                select(Meeting)
                .where(
                    Meeting.status == SCHEDULED,
                    Meeting.starts_at >= _start(first, context),
                    Meeting.starts_at < _start(last + timedelta(days=1), context),
                )
                .order_by(Meeting.starts_at, Meeting.id)
            )
        )
        .unique()
        .all()
    )
    tree = ForumTree(index.forums)
    return [m for m in found if tree.shows(m.forum_id, context.audience)]


async def last_week(context: DigestContext) -> Section | None:
    t = context.t
    index = await load_forum_index(context.session)
    start = context.week_start - timedelta(days=7)
    meetings = await _meetings(context, index, start, start + timedelta(days=6))
    if not meetings:
        return None
    attendance = await attendance_by_meeting(context.session, [m.id for m in meetings])
    orgs = {o.key: o for o in (await organisations(context.session)).values()}
    lines = []
    for meeting in meetings:
        present = {a.organization_id for a in attendance.get(meeting.id, [])}
        forum = index.by_id(meeting.forum_id) or meeting.forum
        parties = []
        for key in expected_orgs(forum, index):
            org = orgs.get(key)
            if org is None:
                continue
            word = "digest.meetings.present" if org.id in present else "digest.meetings.absent"
            parties.append(t(word, org=org.short_name))
        lines.append(
            t(
                "digest.meetings.past_line",
                date=t.date(meeting.starts_at.astimezone(context.tz).date()),
                forum=forum_name(forum, t.language),
                parties=", ".join(parties),
            )
        )
    return Section(t("digest.meetings.last_week"), context.shorten(lines))


async def this_week(context: DigestContext) -> Section | None:
    t = context.t
    index = await load_forum_index(context.session)
    meetings = await _meetings(context, index, context.week_start, context.week_end)
    if not meetings:
        return None
    lines = [
        t(
            "digest.meetings.line",
            when=t.datetime(m.starts_at),
            forum=forum_name(index.by_id(m.forum_id) or m.forum, t.language),
            place=m.place or t("meeting_reminder.no_place"),
        )
        for m in meetings
    ]
    return Section(t("digest.meetings.this_week"), context.shorten(lines))


LAST_WEEK = DigestSection(order=10, build=last_week)
THIS_WEEK = DigestSection(order=20, build=this_week)
