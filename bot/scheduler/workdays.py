"""Working mornings for reminders, on the shared calendar of `bot.common.working_time`.

Which days are working days (weekdays, not Swedish public holidays, not the eves offices
close) is decided in `bot.common.working_time` alone; this module only moves moments onto them.
Times are local wall-clock times in the zone given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.common.working_time import is_working_day

__all__ = ["is_working_day", "local_moment", "within_working_hours", "working_day_on_or_after"]


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def local_moment(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a day, as aware UTC: 08:00 stays 08:00 across DST changes."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def within_working_hours(moment: datetime, tz: ZoneInfo, opens: time, closes: time) -> datetime:
    """The moment itself if it falls in working hours, else the next working morning."""
    local = moment.astimezone(tz)
    if is_working_day(local.date()) and opens <= local.time() < closes:
        return moment
    day = local.date() if local.time() < opens else local.date() + timedelta(days=1)
    return local_moment(working_day_on_or_after(day), opens, tz)
