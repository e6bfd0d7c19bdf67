"""Working time: weekdays 08–17 Europe/Stockholm, Swedish public holidays excluded.

Used to decide when a pending co-signature is nudged ("24 working hours"); the reminders
scheduler can use the same calendar. Midsummer Eve, Christmas Eve and New Year's Eve are not
public holidays by law, but public bodies are closed then, so they count as days off too.

The holidays come from the `holidays` package. Its Swedish calendar is cached as a table
(`bot.holidays_se`, written by `python -m bot.working_time`, checked against the package by a
test), because loading the package imports every country's calendar: about 0.2 s and 10 MiB in
every process, for a dozen dates a year. Years outside the table still ask the package.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.holidays_se import FIRST_YEAR, LAST_YEAR, OFFICIAL

WORKDAY_START = time(8, 0)
WORKDAY_END = time(17, 0)


@cache
def days_off(year: int) -> frozenset[date]:
    """Swedish public holidays of the year, plus the three eves offices close on."""
    official = _official(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return frozenset(official | {midsummer_eve, date(year, 12, 24), date(year, 12, 31)})


def _official(year: int) -> set[date]:
    """Sweden's public holidays as the `holidays` package has them: from its table if there."""
    listed = OFFICIAL.get(year)
    if listed is not None:
        return {date(year, int(day[:2]), int(day[3:])) for day in listed.split()}
    return _from_package(year)


def _from_package(year: int) -> set[date]:
    import holidays  # the costly import the table avoids (see the module's docstring)

    return set(holidays.country_holidays("SE", years=year))


def table_source(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> str:
    """The text of `bot/holidays_se.py`, computed by the installed `holidays` package."""
    lines = [
        f'"""Swedish public holidays {first}–{last} as the `holidays` package gives them.',
        "",
        "Written by `python -m bot.working_time > bot/holidays_se.py`; do not edit by hand. A test",
        "checks it against the installed package, so an upgrade that changes a date fails there.",
        '"""',
        "",
        f"FIRST_YEAR = {first}",
        f"LAST_YEAR = {last}",
        "",
        "# Year: the holidays' month-day, space-separated.",
        "OFFICIAL: dict[int, str] = {",
    ]
    for year in range(first, last + 1):
        days = " ".join(f"{day:%m-%d}" for day in sorted(_from_package(year)))
        lines.append(f'    {year}: "{days}",')
    lines.append("}")
    return "\n".join(lines) + "\n"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def working_time_between(start: datetime, end: datetime, tz: ZoneInfo) -> timedelta:
    """How much working time lies between two moments (zero if end is not after start)."""
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        if is_working_day(day):
            opens = datetime.combine(day, WORKDAY_START, tzinfo=tz).astimezone(UTC)
            closes = datetime.combine(day, WORKDAY_END, tzinfo=tz).astimezone(UTC)
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


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


if __name__ == "__main__":
    print(table_source(), end="")
