"""Meeting rhythms in Swedish and English → RRULE and occurrences."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.when import WhenProblem
from bot.meetings.recurrence import Series, looks_like_series, parse_series

TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def occurrences(text: str) -> list[str]:
    series = parse_series(text, NOW, TZ)
    assert isinstance(series, Series), series
    return [m.astimezone(TZ).strftime("%a %Y-%m-%d %H:%M") for m in series.occurrences]


@pytest.mark.parametrize(
    "text",
    [
        "varannan tisdag 13:30 till 2027-01-15",
        "every other Tuesday 1:30pm until 15 January 2027",
        "varannan tisdag kl 13.30 t.o.m. 15/1/2027",
    ],
)
def test_every_other_tuesday_starts_next_tuesday(text: str) -> None:
    assert occurrences(text) == [
        "Tue 2026-12-01 13:30",
        "Tue 2026-12-15 13:30",
        "Tue 2026-12-29 13:30",
        "Tue 2027-01-12 13:30",
    ]


def test_monthly_with_a_count() -> None:
    assert occurrences("första måndagen varje månad kl 9 3 gånger") == [
        "Mon 2026-12-07 09:00",
        "Mon 2027-01-04 09:00",
        "Mon 2027-02-01 09:00",
    ]
    assert occurrences("last Friday of every month 10am 2 times") == [
        "Fri 2026-11-27 10:00",
        "Fri 2026-12-25 10:00",
    ]


def test_rule_text_is_rfc5545() -> None:
    series = parse_series("varje torsdag kl 9 4 gånger", NOW, TZ)
    assert isinstance(series, Series)
    assert series.rule == "FREQ=WEEKLY;COUNT=4;BYDAY=TH"
    assert len(series.occurrences) == 4


def test_weekly_series_keeps_local_time_across_summer_time() -> None:
    series = parse_series("varje måndag kl 9 till 2027-04-05", NOW, TZ)
    assert isinstance(series, Series)
    local_hours = {m.astimezone(TZ).hour for m in series.occurrences}
    utc_hours = {m.hour for m in series.occurrences}
    assert local_hours == {9} and utc_hours == {7, 8}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("varannan tisdag 13:30", "series.no_end"),
        ("varannan tisdag till 2027-01-01", "series.no_time"),
        ("varje dag kl 9 3 gånger", "series.unreadable"),
        ("varje tisdag kl 9 till blå", "series.bad_end"),
        ("varje söndag kl 2.30 till 2027-04-30", "when.nonexistent"),
        ("varje tisdag kl 9 till 2031-01-01", "series.too_many"),
    ],
)
def test_unclear_rhythms_are_refused(text: str, key: str) -> None:
    result = parse_series(text, NOW, TZ)
    assert isinstance(result, WhenProblem) and result.key == key


def test_series_words_are_recognised() -> None:
    assert looks_like_series("varannan tisdag 13:30")
    assert looks_like_series("Every other Tuesday")
    assert looks_like_series("första måndagen varje månad")
    assert not looks_like_series("tisdag 13:30")
    assert not looks_like_series("3/12 9.00")


def test_monthly_on_a_day_of_the_month() -> None:
    expected = ["Tue 2026-12-15 09:00", "Fri 2027-01-15 09:00", "Mon 2027-02-15 09:00"]
    assert occurrences("den 15 varje månad kl 9 3 gånger") == expected
    assert occurrences("the 15th of every month at 9am 3 times") == expected
    # Months without a 31st are skipped, as RFC 5545 says.
    assert occurrences("varje månad den 31 kl 9 till 2027-04-01") == [
        "Thu 2026-12-31 09:00",
        "Sun 2027-01-31 09:00",
        "Wed 2027-03-31 09:00",
    ]
    assert isinstance(parse_series("varje månad kl 9 3 gånger", NOW, TZ), WhenProblem)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(
                ["varje", "varannan", "tisdag", "månad", "första", "sista", "den", "31", "99:99",
                 "kl", "9", "13:30", "till", "2027-02-30", "3", "gånger", "every", "other",
                 "month", "until", "from", "från", "0", "times", "2pm"]
            ),
            max_size=9,
        ).map(" ".join),
    )
)  # fmt: skip
def test_never_raises(text: str) -> None:
    assert isinstance(parse_series(text, NOW, TZ), Series | WhenProblem)
