"""Working time: weekdays 08–17 Europe/Stockholm, Swedish public holidays excluded.

Used to decide when a pending co-signature is nudged ("24 working hours"); the reminders
scheduler can use the same calendar. Midsummer Eve, Christmas Eve and New Year's Eve are not
public holidays by law, but public bodies are closed then, so they count as days off too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

WORKDAY_START = time(8, 0)
WORKDAY_END = time(17, 0)


@cache
def days_off(year: int) -> frozenset[date]:
    """Swedish public holidays of the year, plus the three eves offices close on."""
    # Imported on first use: the holiday tables cost start-up time and memory in every process.
    import holidays

    official = set(holidays.country_holidays("SE", years=year))
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return frozenset(official | {midsummer_eve, date(year, 12, 24), date(year, 12, 31)})


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def add_working_time(start: datetime, amount: timedelta, tz: ZoneInfo) -> datetime:
    """The moment when `amount` of working time has passed after `start` (aware UTC)."""
    remaining = amount
    moment = start.astimezone(UTC)
    day = moment.astimezone(tz).date()
    while True:
        if is_working_day(day):
            opens = datetime.combine(day, WORKDAY_START, tzinfo=tz).astimezone(UTC)
            closes = datetime.combine(day, WORKDAY_END, tzinfo=tz).astimezone(UTC)
            begin = max(opens, moment)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
