"""A forum's meetings as an RFC 5545 calendar (via `icalendar`), for files and the feed.

A calendar is meant for everyone who has its link, so a restricted forum (need-to-know or no
free text, see `bot.channels.audience`) never gets one, and a forum's calendar leaves out any
group that is restricted on its own: their dates alone can expose someone. Cancelled
meetings stay in with STATUS:CANCELLED, so a subscribed Outlook removes them too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.audience import EVERYONE, ForumTree
from bot.directory.forums import forum_name, load_forum_index
from bot.meetings.service import CANCELLED, meeting_id, with_groups
from storage.models import Forum, Meeting

PRODID = "-//Samverkansboten//Östra Göinge//SV"
UID_DOMAIN = "samverkansboten"


class NoCalendar(LookupError):
    """The forum is unknown, or restricted."""


async def forum_calendar(
    session: AsyncSession,
    forum_key: str,
    language: str = "sv",
    since: datetime | None = None,
) -> tuple[Forum, bytes]:
    """The calendar of a forum (with its groups); raises NoCalendar when there must be none."""
    index = await load_forum_index(session)
    tree = ForumTree(index.forums)
    forum = next((f for f in index.forums if f.key == forum_key), None)
    if forum is None or not tree.shows(forum.id, EVERYONE):
        raise NoCalendar(forum_key)
    shown = [i for i in with_groups(forum) if tree.shows(i, EVERYONE)]
    query = select(Meeting).where(Meeting.forum_id.in_(shown))
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    meetings = list((await session.scalars(query.order_by(Meeting.starts_at))).unique().all())
    return forum, to_ics(forum, meetings, language)


def to_ics(forum: Forum, meetings: list[Meeting], language: str) -> bytes:
    # Imported here: icalendar takes a tenth of a second to import and only exports need it.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", forum_name(forum, language))
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
        event.add("dtstamp", meeting.created_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
        event.add("summary", f"{forum_name(meeting.forum, language)} ({meeting_id(meeting)})")
        if meeting.place:
            event.add("location", meeting.place)
        cancelled = meeting.status == CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # A moved or cancelled meeting is a new version of the same event.
        event.add("sequence", int(meeting.moved_from is not None) + int(cancelled))
        calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body
