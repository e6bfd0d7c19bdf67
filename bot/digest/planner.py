"""The weekly digest: one job per channel bound as `digest` (and its linked room), per week.

By default Monday 08:00 Europe/Stockholm; a Monday that is a day off moves it to the next
working day. Wall-clock time, so 08:00 stays 08:00 across summer-time changes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.bindings import PURPOSE_DIGEST, channels_bound_to
from bot.channels.rooms import room_of
from bot.digest.names import DIGEST_KIND
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.planning import PlanWindow
from bot.scheduler.settings import SchedulerSettings
from bot.scheduler.workdays import local_moment, working_day_on_or_after
from storage.models import Channel


async def digest_channels(session: AsyncSession) -> list[Channel]:
    """Channels bound as `digest`, and the rooms linked with them on the other platform."""
    return await room_of(session, await channels_bound_to(session, PURPOSE_DIGEST))


def digest_moment(week_start: date, tz: ZoneInfo, settings: SchedulerSettings) -> datetime:
    """When the digest of the week starting `week_start` (a Monday) is posted."""
    day = working_day_on_or_after(week_start + timedelta(days=settings.digest_weekday))
    return local_moment(day, settings.digest_at, tz)


def weeks_in(window: PlanWindow) -> list[date]:
    first = window.start.astimezone(window.tz).date()
    monday = first - timedelta(days=first.weekday())
    last = window.end.astimezone(window.tz).date()
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


async def plan(window: PlanWindow) -> None:
    channels = await digest_channels(window.session)
    for monday in weeks_in(window):
        due = digest_moment(monday, window.tz, window.settings)
        if not window.covers(due):
            continue
        for channel in channels:
            await schedule(
                window.session,
                DIGEST_KIND,
                due,
                {"week": monday.isoformat()},
                (Target.CHANNEL, channel.id),
                f"digest:{channel.id}:{monday.isoformat()}",
                window.now,
            )
