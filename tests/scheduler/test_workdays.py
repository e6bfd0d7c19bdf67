"""Working days and held moments, in Stockholm wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.scheduler.workdays import is_working_day, within_working_hours, working_day_on_or_after

TZ = ZoneInfo("Europe/Stockholm")
OPEN, CLOSE = time(8), time(18)


def test_holidays_and_eves_are_days_off() -> None:
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(date(2028, 5, 1))  # May Day
    assert not is_working_day(date(2029, 12, 24))  # Christmas Eve
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 11, 26))
    assert working_day_on_or_after(date(2029, 12, 22)) == date(2029, 12, 27)


def test_evening_night_and_weekend_are_held_to_the_next_working_morning() -> None:
    friday_evening = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)
    assert within_working_hours(friday_evening, TZ, OPEN, CLOSE) == datetime(
        2026, 11, 30, 7, 0, tzinfo=UTC
    )
    early = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)  # 06:00 local
    assert within_working_hours(early, TZ, OPEN, CLOSE) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    daytime = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert within_working_hours(daytime, TZ, OPEN, CLOSE) == daytime
