"""Working days in Sweden: weekdays that are neither public holidays nor the eves offices close.

The `holidays` library's Swedish calendar, with its de facto days off (Midsummer Eve,
Christmas Eve, New Year's Eve), decides; times are local wall-clock times in the zone given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def days_off(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(calendar)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


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
