"""The working calendar: weekdays 08–17 Stockholm time, Swedish holidays and eves off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.common.working_time import WORKDAY_END, WORKDAY_START, add_working_time, is_working_day

TZ = ZoneInfo("Europe/Stockholm")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


def working_time_between(start: datetime, end: datetime, tz: ZoneInfo) -> timedelta:
    """The oracle for `add_working_time`: working time summed day by day, the slow plain way."""
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


def test_days_off() -> None:
    assert is_working_day(date(2026, 11, 26))
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 12, 24))  # Christmas Eve, a Thursday
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(date(2026, 6, 19))  # Midsummer Eve
    assert not is_working_day(date(2026, 6, 6))  # National Day


def test_working_time_between_skips_nights_and_weekends() -> None:
    friday_four = local(2026, 11, 27, 16, 0)
    monday_nine = local(2026, 11, 30, 9, 0)
    assert working_time_between(friday_four, monday_nine, TZ) == timedelta(hours=2)
    assert working_time_between(monday_nine, friday_four, TZ) == timedelta(0)


def test_24_working_hours_cross_christmas_and_dst() -> None:
    # Wednesday 23 Dec 10:00: 7 h that day; 24–27 Dec are off; 9 h on Monday 28; 8 h on 29.
    start = local(2026, 12, 23, 10, 0)
    due = add_working_time(start, timedelta(hours=24), TZ)
    assert due == local(2026, 12, 29, 16, 0)
    assert working_time_between(start, due, TZ) == timedelta(hours=24)
    # Easter 2027 and the spring DST change: Thursday 15:00 gives 2 h, Good Friday and Easter
    # Monday are off, and Tuesday still opens at 08:00 local time (06:00 UTC, not 07:00).
    thursday = local(2027, 3, 25, 15, 0)
    due = add_working_time(thursday, timedelta(hours=3), TZ)
    assert due == local(2027, 3, 30, 9, 0)
    assert due == datetime(2027, 3, 30, 7, 0, tzinfo=UTC)
