"""Relative days as Swedes mean them, read on a Thursday, across a year end, in English."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.common.clock import FixedClock
from bot.common.when import parse_local_date, year_guessed

TZ = ZoneInfo("Europe/Stockholm")
THURSDAY = FixedClock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))  # torsdag 3 december 2026
NEW_YEARS_EVE = FixedClock(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))  # torsdag 31 december


def day(text: str, clock: FixedClock = THURSDAY, past: bool = False) -> date | None:
    found = parse_local_date(text, clock.now(), TZ, past=past)
    return found.date() if found is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nästa fredag", date(2026, 12, 11)),
        ("senast nästa fredag", date(2026, 12, 11)),
        ("Nästa fredag kl 10", date(2026, 12, 11)),
        ("fredag", date(2026, 12, 4)),
        ("på fredag", date(2026, 12, 4)),
        ("fredagen", date(2026, 12, 4)),
        ("torsdag", date(2026, 12, 10)),  # today's weekday is next week's
        ("nästa måndag", date(2026, 12, 7)),
        ("i morgon", date(2026, 12, 4)),
        ("imorgon 14:00", date(2026, 12, 4)),
        ("i övermorgon", date(2026, 12, 5)),
        ("i dag 15:00", date(2026, 12, 3)),
        ("om två veckor", date(2026, 12, 17)),
        ("om 3 dagar", date(2026, 12, 6)),
        ("om en månad", date(2027, 1, 3)),
        ("nästa vecka", date(2026, 12, 7)),
        ("vecka 50", date(2026, 12, 7)),
        ("vecka 49", date(2026, 11, 30)),  # this week: its Monday, though it has passed
        ("vecka 3", date(2027, 1, 18)),
        ("v. 3 2027", date(2027, 1, 18)),
        ("fredag 11 december", date(2026, 12, 11)),
        ("next week", date(2026, 12, 7)),
        ("in two weeks", date(2026, 12, 17)),
        ("next friday", date(2026, 12, 4)),
        ("week 2 2027", date(2027, 1, 11)),
    ],
)
def test_on_a_thursday(text: str, expected: date) -> None:
    assert day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i morgon", date(2027, 1, 1)),
        ("fredag", date(2027, 1, 1)),
        ("nästa fredag", date(2027, 1, 8)),
        ("nästa vecka", date(2027, 1, 4)),
        ("vecka 1", date(2027, 1, 4)),
        ("vecka 53", date(2026, 12, 28)),  # 2026 has 53 ISO weeks; this is the current one
        ("om två veckor", date(2027, 1, 14)),
    ],
)
def test_across_the_year_end(text: str, expected: date) -> None:
    assert day(text, NEW_YEARS_EVE) == expected


def test_a_week_that_does_not_exist_is_unreadable() -> None:
    assert day("vecka 54") is None
    assert day("vecka 53 2027") is None


def test_looking_back_a_weekday_is_the_last_one() -> None:
    assert day("tisdag", past=True) == date(2026, 12, 1)
    assert day("torsdag", past=True) == date(2026, 11, 26)


def test_the_year_is_guessed_only_when_a_day_of_a_month_has_none() -> None:
    assert year_guessed("1/11 10:00")
    assert year_guessed("3 dec kl 13")
    assert year_guessed("vecka 3")
    assert not year_guessed("1/11/2027 10:00")
    assert not year_guessed("2027-11-01 10:00")
    assert not year_guessed("nästa fredag 10:00")
    assert not year_guessed("om två veckor")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nasta fredag", date(2026, 12, 11)),
        ("pa lordag", date(2026, 12, 5)),
        ("om tva veckor", date(2026, 12, 17)),
        ("i overmorgon", date(2026, 12, 5)),
        ("nasta manad", date(2027, 1, 1)),
    ],
)
def test_folded_words_as_a_series_reads_them(text: str, expected: date) -> None:
    assert day(text) == expected
