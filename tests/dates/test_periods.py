"""Periods in plain words and codes, read and said back in words, never as a code."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.common.i18n import Translator
from bot.common.periods import parse_period, period_words

TZ = ZoneInfo("Europe/Stockholm")
SV = Translator("sv", TZ)
EN = Translator("en", TZ)


@pytest.mark.parametrize(
    ("text", "start", "end", "swedish", "english"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2026", "2026"),
        ("helåret 2026", date(2026, 1, 1), date(2027, 1, 1), "2026", "2026"),
        (
            "2026-H2",
            date(2026, 7, 1),
            date(2027, 1, 1),
            "andra halvåret 2026",
            "the second half of 2026",
        ),
        (
            "andra halvåret 2026",
            date(2026, 7, 1),
            date(2027, 1, 1),
            "andra halvåret 2026",
            "the second half of 2026",
        ),
        (
            "första halvåret 2027",
            date(2027, 1, 1),
            date(2027, 7, 1),
            "första halvåret 2027",
            "the first half of 2027",
        ),
        ("hösten 2026", date(2026, 7, 1), date(2027, 1, 1), "hösten 2026", "autumn 2026"),
        ("Våren 2027", date(2027, 1, 1), date(2027, 7, 1), "våren 2027", "spring 2027"),
        (
            "första tertialet 2026",
            date(2026, 1, 1),
            date(2026, 5, 1),
            "första tertialet 2026",
            "the first four months of 2026",
        ),
        (
            "2026-t3",
            date(2026, 9, 1),
            date(2027, 1, 1),
            "tredje tertialet 2026",
            "the last four months of 2026",
        ),
        (
            "second half of 2026",
            date(2026, 7, 1),
            date(2027, 1, 1),
            "andra halvåret 2026",
            "the second half of 2026",
        ),
        (
            "the first tertial 2026",
            date(2026, 1, 1),
            date(2026, 5, 1),
            "första tertialet 2026",
            "the first four months of 2026",
        ),
        ("autumn 2026", date(2026, 7, 1), date(2027, 1, 1), "hösten 2026", "autumn 2026"),
        (
            "2026-11..2027-02",
            date(2026, 11, 1),
            date(2027, 3, 1),
            "november 2026 – februari 2027",
            "November 2026 – February 2027",
        ),
    ],
)
def test_reads_and_says_periods(
    text: str, start: date, end: date, swedish: str, english: str
) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.start, period.end) == (start, end)
    assert period_words(SV, period) == swedish
    assert period_words(EN, period) == english


@pytest.mark.parametrize(
    "text",
    ["2026-T4", "fjärde tertialet 2026", "tredje halvåret 2026", "hösten", "2026-13..2027-01"],
)
def test_refuses_what_is_no_period(text: str) -> None:
    assert parse_period(text) is None
