"""When a guessed year is asked about: far ahead after rolling over, or past the agreement's end."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agreement.year_check import doubtful

END = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("text", "day", "today", "end", "asked"),
    [
        ("1/11 10:00", date(2027, 11, 1), date(2026, 12, 3), END, True),  # both reasons
        ("1/11 10:00", date(2027, 11, 1), date(2026, 12, 3), None, True),  # far ahead
        ("5/1 10:00", date(2027, 1, 5), date(2026, 12, 3), END, True),  # past the end
        ("5/1 10:00", date(2027, 1, 5), date(2026, 12, 3), None, False),  # near: a new year
        ("1/1", date(2027, 1, 1), date(2026, 12, 31), END, True),  # the day after the end
        ("15/12 10:00", date(2026, 12, 15), date(2026, 12, 3), END, False),
        ("1/11 10:00", date(2026, 11, 1), date(2026, 3, 5), END, False),  # later this year
        ("1/11/2027 10:00", date(2027, 11, 1), date(2026, 12, 3), END, False),  # year written
        ("om två veckor", date(2027, 1, 14), date(2026, 12, 31), END, False),  # relative
        ("nästa fredag", date(2027, 1, 8), date(2026, 12, 31), END, False),
        ("vecka 3", date(2027, 1, 18), date(2026, 12, 3), END, True),  # a week: its year guessed
    ],
)
def test_doubtful(text: str, day: date, today: date, end: date | None, asked: bool) -> None:
    assert doubtful(text, day, today, end) is asked
